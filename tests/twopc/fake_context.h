// A hand-driven stand-in for the simulator: a Context that records what a process sends,
// which timers it sets, what it traces, and owns a DurableStore that outlives the
// process, so a test can crash it (store.crash()) and start a fresh one on the same disk.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/process.h"

namespace dsim::twopc::testing {

struct Sent {
  NodeId to;
  Message message;
};

struct SetTimer {
  TimerId id;
  Duration after;
  std::string kind;
  int64_t arg;
  uint32_t code = 0;
};

struct Traced {
  std::string event;
  Json fields;
};

class FakeContext final : public Context {
 public:
  FakeContext(const Cluster& cluster, NodeId self, DurableStore& store, uint32_t incarnation = 0)
      : cluster_(cluster), self_(self), store_(store), incarnation_(incarnation), rng_(Rng::stream(7, "fake")) {}

  NodeId self() const override { return self_; }
  const Cluster& cluster() const override { return cluster_; }
  Instant now() const override { return now_; }
  uint32_t incarnation() const override { return incarnation_; }
  void send(NodeId to, Message message) override { sent.push_back({to, std::move(message)}); }
  TimerId start_timer(Duration after, TimerKind kind, int64_t arg) override {
    TimerId id = next_timer_++;
    timers.push_back({id, after, std::string(kind.name), arg, kind.code});
    return id;
  }
  void cancel_timer(TimerId id) override { cancelled.push_back(id); }
  Rng& rng() override { return rng_; }
  void trace_event(PayloadRef event) override { traced.push_back({std::string(event.name()), event.fields()}); }
  DurableStore& storage() override { return store_; }

  void advance(Duration d) { now_ += d; }

  // The most recent pending (set, not cancelled) timer of this kind.
  std::optional<Timer> timer(const std::string& kind) const {
    for (auto it = timers.rbegin(); it != timers.rend(); ++it) {
      if (it->kind == kind && std::find(cancelled.begin(), cancelled.end(), it->id) == cancelled.end()) {
        return Timer{it->id, *kind_names_.insert(it->kind).first, it->arg, it->code};
      }
    }
    return std::nullopt;
  }
  // Messages of one type, in send order.
  std::vector<Sent> sent_of(const std::string& type) const {
    std::vector<Sent> out;
    for (const Sent& s : sent) {
      if (s.message.type() == type) out.push_back(s);
    }
    return out;
  }
  std::vector<Traced> traced_of(const std::string& event) const {
    std::vector<Traced> out;
    for (const Traced& t : traced) {
      if (t.event == event) out.push_back(t);
    }
    return out;
  }
  void clear() {
    sent.clear();
    traced.clear();
  }

  std::vector<Sent> sent;
  std::vector<SetTimer> timers;
  std::vector<TimerId> cancelled;
  std::vector<Traced> traced;

 private:
  const Cluster& cluster_;
  NodeId self_;
  DurableStore& store_;
  uint32_t incarnation_;
  Rng rng_;
  Instant now_{0};
  TimerId next_timer_ = 1;
  // Names handed out in Timers: a set's nodes never move, so the views stay valid.
  mutable std::set<std::string> kind_names_;
};

}  // namespace dsim::twopc::testing
