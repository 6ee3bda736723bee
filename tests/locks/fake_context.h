// A Context with no simulator behind it: a test sets the clock, reads what was sent and
// traced, and fires timers by hand. Timers are kept by due time in local elapsed time
// (as the simulator's are); moving `now` to fake a clock jump does not move them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/process.h"

namespace dsim::locks::testing {

// lock (0), resource (1), c1 (2), c2 (3), c3 (4); or `locks` servers lock1..lockN first.
inline Cluster test_cluster(int locks = 1) {
  Cluster c;
  if (locks == 1) {
    c.add("lock", "lock");
  } else {
    for (int i = 1; i <= locks; ++i) c.add("lock" + std::to_string(i), "lock");
  }
  c.add("resource", "resource");
  c.add("c1", "client");
  c.add("c2", "client");
  c.add("c3", "client");
  return c;
}

struct Sent {
  NodeId to;
  Message message;
};

struct Traced {
  std::string event;
  Json fields;
};

class FakeContext final : public Context {
 public:
  FakeContext(const Cluster& cluster, const std::string& self, uint32_t incarnation = 0,
              std::shared_ptr<DurableStore> disk = std::make_shared<DurableStore>())
      : cluster_(cluster), self_(*cluster.find(self)), incarnation_(incarnation), disk_(std::move(disk)),
        rng_(Rng::stream(1, self)) {}

  NodeId self() const override { return self_; }
  const Cluster& cluster() const override { return cluster_; }
  Instant now() const override { return now_; }
  uint32_t incarnation() const override { return incarnation_; }
  void send(NodeId to, Message m) override { sent.push_back({to, std::move(m)}); }
  TimerId start_timer(Duration after, TimerKind kind, int64_t arg) override {
    TimerId id = ++next_timer_;
    // The name outlives the timer: kept in a set whose nodes never move.
    std::string_view name = *kind_names_.insert(std::string(kind.name)).first;
    timers_[id] = Pending{elapsed_ + after, Timer{id, name, arg, kind.code}};
    return id;
  }
  void cancel_timer(TimerId id) override { timers_.erase(id); }
  Rng& rng() override { return rng_; }
  void trace_event(PayloadRef event) override {
    traces.push_back({std::string(event.name()), event.fields()});
  }
  DurableStore& storage() override { return *disk_; }
  std::shared_ptr<DurableStore> disk() const { return disk_; }

  // Lets `d` pass: the wall clock and the timers' clock both move.
  void advance(Duration d) {
    now_ += d;
    elapsed_ += d;
  }
  // A clock step: only the wall clock moves.
  void jump(Duration d) { now_ += d; }

  // Takes the earliest pending timer of this kind (any kind if empty), advancing the
  // clock to when it is due. nullopt if there is none.
  std::optional<Timer> take_timer(const std::string& kind = "") {
    auto best = timers_.end();
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (!kind.empty() && it->second.timer.kind != kind) continue;
      if (best == timers_.end() || it->second.due < best->second.due) best = it;
    }
    if (best == timers_.end()) return std::nullopt;
    if (best->second.due > elapsed_) advance(best->second.due - elapsed_);
    Timer t = best->second.timer;
    timers_.erase(best);
    return t;
  }
  bool has_timer(const std::string& kind) const {
    for (const auto& [id, p] : timers_) {
      if (p.timer.kind == kind) return true;
    }
    return false;
  }

  // Messages sent since the last call, oldest first.
  std::vector<Sent> take_sent() { return std::exchange(sent, {}); }
  // The last message of this type sent (and still in `sent`), or nullptr.
  const Sent* last_sent(const std::string& type) const {
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
      if (it->message.type() == type) return &*it;
    }
    return nullptr;
  }
  // Trace events called `event`.
  std::vector<Json> traced(const std::string& event) const {
    std::vector<Json> out;
    for (const Traced& t : traces) {
      if (t.event == event) out.push_back(t.fields);
    }
    return out;
  }

  std::vector<Sent> sent;
  std::vector<Traced> traces;

 private:
  std::set<std::string> kind_names_;
  struct Pending {
    Duration due;
    Timer timer;
  };
  const Cluster& cluster_;
  NodeId self_;
  uint32_t incarnation_;
  std::shared_ptr<DurableStore> disk_;
  Rng rng_;
  Instant now_{Duration::seconds(100).ns};  // a wall clock well away from zero
  Duration elapsed_;
  TimerId next_timer_ = 0;
  std::map<TimerId, Pending> timers_;
};

}  // namespace dsim::locks::testing
