#include "protocols/ring/stats/membership_events.h"

#include <algorithm>
#include <map>

#include "core/rng.h"

namespace dsim::ring {
namespace {

class Planner {
 public:
  Planner(uint32_t initial, const std::vector<double>& weights, uint64_t seed)
      : weights_(weights), rng_(Rng::stream(seed, "ring-stats/events")) {
    for (uint32_t i = 0; i < initial; ++i) {
      uint32_t n = create();
      members_.push_back(n);
      plan_.initial.push_back(names_[n]);
      plan_.initial_weights.push_back(weight_of(n));
    }
  }
  Planner(const std::vector<std::string>& names, const std::vector<double>& initial_weights,
          const std::vector<double>& weights, uint64_t seed)
      : weights_(weights), rng_(Rng::stream(seed, "ring-stats/events")) {
    for (size_t i = 0; i < names.size(); ++i) {
      uint32_t n = number_of(names[i], /*create_if_new=*/true);
      members_.push_back(n);
      initial_weights_.push_back(initial_weights[i]);
      plan_.initial.push_back(names_[n]);
      plan_.initial_weights.push_back(weight_of(n));
    }
  }

  void apply(const std::string& token) {
    auto colon = token.find(':');
    std::string verb = token.substr(0, colon);
    std::string name = colon == std::string::npos ? "" : token.substr(colon + 1);
    if (colon != std::string::npos && name.empty()) fail(token, "a name after ':'");
    if ((verb == "add" || verb == "remove") && !name.empty() &&
        name.find_first_not_of("0123456789") == std::string::npos) {
      group(verb, name, token);
    } else if (verb == "add") {
      add(name.empty() ? create() : number_of(name, /*create_if_new=*/true), "join", token);
    } else if (verb == "remove") {
      remove(name.empty() ? random_member(token) : member_named(name, token), "leave", token);
    } else if (verb == "remove-last" && name.empty()) {
      if (members_.empty()) fail(token, "a member to remove");
      remove(members_.back(), "leave", token);
    } else if (verb == "crash") {
      remove(name.empty() ? random_member(token) : member_named(name, token), "crash", token);
    } else if (verb == "rejoin") {
      rejoin(name, token);
    } else if (verb == "crash-rejoin") {
      uint32_t n = name.empty() ? random_member(token) : member_named(name, token);
      remove(n, "crash", token);
      rejoin(names_[n], token);
    } else {
      fail(token, "add, add:NAME, add:K, remove, remove:NAME, remove:K, remove-last, crash[:NAME], "
                  "rejoin[:NAME] or crash-rejoin[:NAME]");
    }
  }

  // A random mix of joins, leaves and crash-then-rejoin pairs; never below two members.
  void random_events(uint32_t count) {
    uint32_t done = 0;
    while (done < count) {
      uint64_t pick = members_.size() <= 2 ? 0 : rng_.uniform(3);
      if (pick == 2 && count - done < 2) pick = rng_.uniform(2);
      if (pick == 0) {
        add(create(), "join", "random");
        done += 1;
      } else if (pick == 1) {
        remove(random_member("random"), "leave", "random");
        done += 1;
      } else {
        uint32_t n = random_member("random");
        remove(n, "crash", "random");
        rejoin(names_[n], "random");
        done += 2;
      }
    }
  }

  EventPlan finish() {
    plan_.nodes_created = static_cast<uint32_t>(names_.size());
    return std::move(plan_);
  }

 private:
  // add:K / remove:K: K nodes at once, marked to be applied together.
  void group(const std::string& verb, const std::string& count_text, const std::string& token) {
    if (count_text.size() > 6) fail(token, "a count of at most 100000");
    const auto count = static_cast<uint32_t>(std::stoul(count_text));
    if (count == 0 || count > 100000) fail(token, "a count between 1 and 100000");
    const size_t first = plan_.events.size();
    if (verb == "add") {
      for (uint32_t i = 0; i < count; ++i) add(create(), "join", token);
    } else {
      if (members_.size() <= count) fail(token, "more members than nodes to remove");
      for (uint32_t i = 0; i < count; ++i) remove(random_member(token), "leave", token);
    }
    for (size_t e = first + 1; e < plan_.events.size(); ++e) plan_.events[e].with_previous = true;
  }

  [[noreturn]] static void fail(const std::string& token, const std::string& expected) {
    throw std::invalid_argument("event \"" + token + "\": expected " + expected);
  }

  uint32_t create() {
    auto n = static_cast<uint32_t>(names_.size());
    std::string name = "node-" + std::to_string(n);
    while (by_name_.count(name) != 0) name += "'";  // a user already took that name
    names_.push_back(name);
    by_name_[name] = n;
    return n;
  }
  uint32_t number_of(const std::string& name, bool create_if_new) {
    auto it = by_name_.find(name);
    if (it != by_name_.end()) return it->second;
    if (!create_if_new) fail(name, "a known node");
    auto n = static_cast<uint32_t>(names_.size());
    names_.push_back(name);
    by_name_[name] = n;
    return n;
  }
  double weight_of(uint32_t n) const {
    if (n < initial_weights_.size()) return initial_weights_[n];
    return weights_.empty() ? 1.0 : weights_[n % weights_.size()];
  }
  bool is_member(uint32_t n) const { return std::find(members_.begin(), members_.end(), n) != members_.end(); }
  uint32_t member_named(const std::string& name, const std::string& token) {
    auto it = by_name_.find(name);
    if (it == by_name_.end() || !is_member(it->second)) fail(token, "a current member's name");
    return it->second;
  }
  uint32_t random_member(const std::string& token) {
    if (members_.empty()) fail(token, "a member to remove");
    return members_[rng_.uniform(members_.size())];
  }

  void add(uint32_t n, const char* cause, const std::string& token) {
    if (is_member(n)) fail(token, "a node that is not a member already");
    members_.push_back(n);
    plan_.events.push_back({MembershipEvent::Kind::kAdd, cause, names_[n], n, weight_of(n)});
  }
  void remove(uint32_t n, const char* cause, const std::string& token) {
    if (members_.size() <= 1) fail(token, "at least two members before a removal");
    members_.erase(std::find(members_.begin(), members_.end(), n));
    if (std::string(cause) == "crash") crashed_.push_back(n);
    plan_.events.push_back({MembershipEvent::Kind::kRemove, cause, names_[n], n, weight_of(n)});
  }
  void rejoin(const std::string& name, const std::string& token) {
    if (crashed_.empty()) fail(token, "a crashed node to rejoin");
    uint32_t n = crashed_.back();
    if (!name.empty()) {
      auto it = std::find(crashed_.begin(), crashed_.end(), number_of(name, false));
      if (it == crashed_.end()) fail(token, "the name of a crashed node");
      n = *it;
    }
    crashed_.erase(std::find(crashed_.begin(), crashed_.end(), n));
    add(n, "rejoin", token);
  }

  std::vector<double> weights_;
  std::vector<double> initial_weights_;  // of named initial nodes (a nodes file)
  Rng rng_;
  EventPlan plan_;
  std::vector<std::string> names_;
  std::map<std::string, uint32_t> by_name_;
  std::vector<uint32_t> members_;  // in order of (re)addition
  std::vector<uint32_t> crashed_;
};

}  // namespace

EventPlan plan_events(uint32_t initial_nodes, const std::vector<std::string>& spec,
                      uint32_t random_events, const std::vector<double>& weights, uint64_t seed) {
  Planner p(initial_nodes, weights, seed);
  if (spec.empty() && random_events == 0) {
    p.apply("remove");
    p.apply("add");
  }
  for (const std::string& token : spec) p.apply(token);
  p.random_events(random_events);
  return p.finish();
}

EventPlan plan_events(const std::vector<std::string>& initial_names, const std::vector<double>& initial_weights,
                      const std::vector<std::string>& spec, uint32_t random_events,
                      const std::vector<double>& weights, uint64_t seed) {
  Planner p(initial_names, initial_weights, weights, seed);
  if (spec.empty() && random_events == 0) {
    p.apply("remove");
    p.apply("add");
  }
  for (const std::string& token : spec) p.apply(token);
  p.random_events(random_events);
  return p.finish();
}

const char* to_string(MembershipEvent::Kind k) { return k == MembershipEvent::Kind::kAdd ? "add" : "remove"; }

}  // namespace dsim::ring
