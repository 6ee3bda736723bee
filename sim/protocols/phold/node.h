// A PHOLD node (every node of a phold cluster): on first boot it creates its tokens and
// sends each to a uniformly random node (itself included); every token it receives it
// forwards the same way at once. A restarted node creates none: it only forwards.
#pragma once

#include <cstdint>

#include "core/process.h"

namespace dsim::phold {

class PholdNode final : public Process {
 public:
  explicit PholdNode(int64_t tokens) : tokens_(tokens) {}
  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context&, const Timer&) override {}

 private:
  void forward(Context& ctx);

  int64_t tokens_;
};

}  // namespace dsim::phold
