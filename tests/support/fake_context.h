// A Context with no simulator behind it, shared by every family's unit tests: a test sets
// the clock, reads what a process sent, traced and which timers it set, and fires timers by
// hand. Typed throughout: sent messages are kept as they are (read them with
// sent_as<T>()), typed protocol events are kept as copies (events<E>()) and also as JSON
// (traced(name)), and timers can be asked for by the family's enum as well as by name.
//
// Clocks: `now()` is the node's wall clock, starting at zero as a booted node's does in the
// simulator (set_now() moves it anywhere); timers are due in local elapsed time, as the
// simulator's are, so jump() (a clock step) moves the wall clock but not the timers, and
// advance() moves both. The disk is a DurableStore the context shares (or borrows), so a
// test can crash a process (disk.crash()) and start a fresh one on the same disk.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/process.h"

namespace dsim::testing {

struct Sent {
  NodeId to;
  Message message;
};

// One protocol event: its name, its fields as JSON (built at trace time, for tests that
// compare JSON) and a copy of the event itself.
struct Traced {
  std::string event;
  Json fields;
  Payload typed;
};

// One set_timer call, whether or not it has fired or been cancelled since.
struct SetTimer {
  TimerId id;
  Duration after;
  std::string kind;
  int64_t arg;
  uint32_t code = 0;
};

// A copy of the event `ref` points at, owned (the typed API hands events over by view).
inline Payload copy_payload(PayloadRef ref) {
  if (ref.empty()) return Payload();
  const PayloadKind* kind = ref.kind();
  const void* value = ref.value();
  // copy_construct reads a Payload's storage: the value itself when held inline, a
  // pointer to it when held on the heap.
  return Payload::of_kind(kind, [&](void* at) {
    kind->copy_construct(at, kind->inline_storage ? value : static_cast<const void*>(&value));
  });
}

class FakeContext final : public Context {
 public:
  // `disk` is shared: keep it to start the node again after a crash.
  FakeContext(const Cluster& cluster, NodeId self, uint32_t incarnation = 0,
              std::shared_ptr<DurableStore> disk = std::make_shared<DurableStore>())
      : cluster_(cluster), self_(self), incarnation_(incarnation), disk_(std::move(disk)),
        rng_(Rng::stream(1, cluster.name(self))) {}
  FakeContext(const Cluster& cluster, const std::string& self, uint32_t incarnation = 0,
              std::shared_ptr<DurableStore> disk = std::make_shared<DurableStore>())
      : FakeContext(cluster, *cluster.find(self), incarnation, std::move(disk)) {}
  // Borrows `disk`, which must outlive the context.
  FakeContext(const Cluster& cluster, NodeId self, DurableStore& disk, uint32_t incarnation = 0)
      : FakeContext(cluster, self, incarnation, std::shared_ptr<DurableStore>(&disk, [](DurableStore*) {})) {}

  // Context.
  NodeId self() const override { return self_; }
  const Cluster& cluster() const override { return cluster_; }
  Instant now() const override { return now_; }
  uint32_t incarnation() const override { return incarnation_; }
  void send(NodeId to, Message m) override { sent.push_back({to, std::move(m)}); }
  TimerId start_timer(Duration after, TimerKind kind, int64_t arg) override {
    TimerId id = next_timer_++;
    // The name outlives the timer: kept in a set whose nodes never move.
    std::string_view name = *kind_names_.insert(std::string(kind.name)).first;
    timers.push_back({id, after, std::string(kind.name), arg, kind.code});
    pending_[id] = Pending{elapsed_ + after, Timer{id, name, arg, kind.code}};
    return id;
  }
  void cancel_timer(TimerId id) override {
    cancelled.push_back(id);
    pending_.erase(id);
  }
  Rng& rng() override { return rng_; }
  void trace_event(PayloadRef event) override {
    traces.push_back({std::string(event.name()), event.fields(), copy_payload(event)});
  }
  DurableStore& storage() override { return *disk_; }
  std::shared_ptr<DurableStore> disk() const { return disk_; }

  // Clocks.
  void set_now(Instant t) { now_ = t; }
  // Lets `d` pass: the wall clock and the timers' clock both move.
  void advance(Duration d) {
    now_ += d;
    elapsed_ += d;
  }
  // A clock step: only the wall clock moves.
  void jump(Duration d) { now_ += d; }
  // Replaces the node's random stream.
  void reseed(uint64_t seed, std::string_view stream) { rng_ = Rng::stream(seed, stream); }

  // Timers. Pending: set, not yet taken, not cancelled.
  // Takes the earliest pending timer of this kind (any kind if empty), advancing the
  // clocks to when it is due. nullopt if there is none.
  std::optional<Timer> take_timer(std::string_view kind = "") {
    return take_if([&](const Timer& t) { return kind.empty() || t.kind == kind; });
  }
  template <typename E>
    requires std::is_enum_v<E>
  std::optional<Timer> take_timer(E kind) {
    return take_if([&](const Timer& t) { return t.is(kind); });
  }
  bool has_timer(std::string_view kind) const { return find_pending([&](const Timer& t) { return t.kind == kind; }); }
  template <typename E>
    requires std::is_enum_v<E>
  bool has_timer(E kind) const {
    return find_pending([&](const Timer& t) { return t.is(kind); });
  }
  // The most recently set pending timer of this kind, without taking it.
  std::optional<Timer> timer(std::string_view kind) const {
    return latest_pending([&](const Timer& t) { return t.kind == kind; });
  }
  template <typename E>
    requires std::is_enum_v<E>
  std::optional<Timer> timer(E kind) const {
    return latest_pending([&](const Timer& t) { return t.is(kind); });
  }
  size_t pending_timers() const { return pending_.size(); }

  // Messages.
  // Messages sent since the last call, oldest first.
  std::vector<Sent> take_sent() { return std::exchange(sent, {}); }
  // The last message of this type sent (and still in `sent`), or nullptr.
  const Sent* last_sent(std::string_view type) const {
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
      if (it->message.type() == type) return &*it;
    }
    return nullptr;
  }
  std::vector<Sent> sent_of(std::string_view type) const {
    std::vector<Sent> out;
    for (const Sent& s : sent) {
      if (s.message.type() == type) out.push_back(s);
    }
    return out;
  }
  // Typed messages of type T still in `sent`, in send order, with their destinations.
  template <PayloadType T>
  std::vector<std::pair<NodeId, T>> sent_as() const {
    std::vector<std::pair<NodeId, T>> out;
    for (const Sent& s : sent) {
      if (const T* m = s.message.as<T>()) out.emplace_back(s.to, *m);
    }
    return out;
  }

  // Protocol events.
  // The fields (JSON) of the events called `event`, oldest first.
  std::vector<Json> traced(std::string_view event) const {
    std::vector<Json> out;
    for (const Traced& t : traces) {
      if (t.event == event) out.push_back(t.fields);
    }
    return out;
  }
  std::vector<Traced> traced_of(std::string_view event) const {
    std::vector<Traced> out;
    for (const Traced& t : traces) {
      if (t.event == event) out.push_back(t);
    }
    return out;
  }
  // Copies of the typed events of type E, oldest first.
  template <PayloadType E>
  std::vector<E> events() const {
    std::vector<E> out;
    for (const Traced& t : traces) {
      if (const E* e = t.typed.as<E>()) out.push_back(*e);
    }
    return out;
  }
  void clear() {
    sent.clear();
    traces.clear();
  }

  std::vector<Sent> sent;
  std::vector<Traced> traces;
  std::vector<SetTimer> timers;     // every set_timer call, in order
  std::vector<TimerId> cancelled;   // every cancel_timer call, in order

 private:
  struct Pending {
    Duration due;  // local elapsed time
    Timer timer;
  };
  template <typename Pred>
  std::optional<Timer> take_if(Pred pred) {
    auto best = pending_.end();
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (!pred(it->second.timer)) continue;
      if (best == pending_.end() || it->second.due < best->second.due) best = it;
    }
    if (best == pending_.end()) return std::nullopt;
    if (best->second.due > elapsed_) advance(best->second.due - elapsed_);
    Timer t = best->second.timer;
    pending_.erase(best);
    return t;
  }
  template <typename Pred>
  bool find_pending(Pred pred) const {
    return std::any_of(pending_.begin(), pending_.end(), [&](const auto& p) { return pred(p.second.timer); });
  }
  template <typename Pred>
  std::optional<Timer> latest_pending(Pred pred) const {
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
      if (pred(it->second.timer)) return it->second.timer;
    }
    return std::nullopt;
  }

  const Cluster& cluster_;
  NodeId self_;
  uint32_t incarnation_;
  std::shared_ptr<DurableStore> disk_;
  Rng rng_;
  Instant now_;
  Duration elapsed_;
  TimerId next_timer_ = 1;
  std::map<TimerId, Pending> pending_;  // by id: set order
  std::set<std::string> kind_names_;
};

}  // namespace dsim::testing
