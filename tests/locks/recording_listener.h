// Remembers what a recipe told its client.
#pragma once

#include <string>
#include <vector>

#include "protocols/locks/lock_recipe.h"

namespace dsim::locks::testing {

class RecordingListener final : public RecipeListener {
 public:
  void on_granted(Context&, const Grant& g) override { grants.push_back(g); }
  void on_lost(Context&, std::string_view reason) override { losses.emplace_back(reason); }
  bool worker_alive(Context&) const override { return worker; }
  bool worker = true;  // false: the worker has hung
  std::vector<Grant> grants;
  std::vector<std::string> losses;
};

}  // namespace dsim::locks::testing
