// The simulator: one event loop, N virtual nodes, a network, fault verbs, a trace and the
// checkers. It knows nothing about any protocol: processes come from a factory.
//
// Determinism: all state advances only inside run(), one event at a time, in (time,
// sequence) order; every random draw comes from a stream derived from the seed and a
// fixed name; containers iterated for output are ordered.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/checker.h"
#include "check/checker_routes.h"
#include "core/cluster.h"
#include "core/event_queue.h"
#include "core/fault_events.h"
#include "core/message_types.h"
#include "core/node_clock.h"
#include "core/process.h"
#include "core/stable_slots.h"
#include "net/latency_model.h"
#include "net/network.h"
#include "trace/json_trace_observer.h"
#include "trace/trace_writer.h"

namespace dsim {

using ProcessFactory = std::function<std::unique_ptr<Process>(NodeId)>;

// What a stall holds back: timer kinds and message types, by their trace names.
struct StallSpec {
  std::vector<std::string> timer_kinds;
  std::vector<std::string> message_types;
};

// What a disk_fail window does to the node's disk (durable_store.h says what the
// protocol sees). Writes and reads can only fail; syncs fail or hang (complete only when
// the window ends).
struct DiskFailSpec {
  bool writes = false;
  bool syncs = false;
  bool reads = false;
  bool hang = false;  // syncs hang instead of failing (writes/reads must be false)
};

struct SimulationLimits {
  Instant end = Instant{Duration::seconds(10).ns};  // the scenario's duration
  uint64_t max_events = 100'000'000;
  // Events in one simulated instant beyond those already pending when it began: past this
  // the run stops (kTimeStoodStill). A run whose delays are all zero (no latency, no think
  // time) makes its own events at one instant and would loop there until max_events; events
  // queued earlier for that instant (a broadcast's deliveries) are not counted.
  uint64_t max_events_per_instant = 1'000'000;
  Instant max_time = Instant::max();                // a hard bound, below or above `end`
  uint64_t max_trace_bytes = uint64_t{1} << 30;
  // The growth check: the run stops (kMaxMemory) once memory_baseline_bytes plus what the
  // simulator holds for its live objects (live_bytes()) exceeds this. 0: no check.
  uint64_t max_memory = 0;
  // What the check cannot count: the processes' and checkers' state and the fixed costs,
  // taken from the estimate made before the run (scenario/memory_estimate.h).
  uint64_t memory_baseline_bytes = 0;
};

struct SimulationConfig {
  uint64_t seed = 1;
  SimulationLimits limits;
  LinkConfig link_defaults;
  std::vector<LinkRule> link_rules;
  std::vector<NodeId> down_at_start;
  // Per-node starting clock error; empty means perfect clocks.
  std::vector<NodeClock> clocks;
  bool stop_on_violation = true;
  // Pending writes a crash keeps, as a fraction drawn per crash from [0, max]: 0 means a
  // crash loses every unsynced write.
  double keep_unsynced_fraction_max = 0.0;
  // Chance that a crash leaves the first lost write, when it is a log append, on disk
  // half written (a torn record: DurableStore::RecordLog::torn). 0: never (no draw).
  double torn_write_probability = 0.0;
};

enum class StopReason {
  kEndOfDuration, kQuiescent, kMaxEvents, kMaxTime, kMaxMemory, kViolation, kInterrupted, kTimeStoodStill
};
const char* to_string(StopReason r);

struct RunResult {
  StopReason stopped_by = StopReason::kEndOfDuration;
  uint64_t events = 0;
  Instant sim_time;
  std::vector<Violation> violations;
  Json metrics;  // the summary's "metrics"; null when not collected (set_collect_metrics)
  bool trace_truncated = false;
};

class Simulation : private CheckerView {
 public:
  Simulation(Cluster cluster, SimulationConfig config, ProcessFactory factory);
  ~Simulation() override;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Optional outputs and observers; set before run().
  // The JSON-lines trace (trace/json_trace_observer.h writes it); null: no trace.
  void set_trace(TraceWriter* trace);
  void add_checker(std::unique_ptr<Checker> checker);
  // Checked every few thousand events; set to true (e.g. from a SIGINT handler) to stop.
  void set_interrupt_flag(const std::atomic<bool>* flag) { interrupt_ = flag; }
  // Called every 65,536 events with the simulated time (ns) and the events so far, for a
  // progress display; it must not touch the run.
  using ProgressObserver = std::function<void(int64_t now_ns, uint64_t events)>;
  void set_progress_observer(ProgressObserver observer) { progress_ = std::move(observer); }
  // Called once, when every node has booted and the event loop is about to start (the CLI
  // switches from "a signal ends the process" to "a signal stops the run cleanly").
  void set_loop_start_hook(std::function<void()> hook) { loop_start_ = std::move(hook); }
  // Whether run() fills RunResult::metrics (the simulator's counters and every checker's
  // write_metrics, for the summary). Default true; false leaves it null, for a caller that
  // reads no summary (a sweep's seed): the figures cost time to build and free.
  void set_collect_metrics(bool on) { collect_metrics_ = on; }

  // Schedules a simulator-level action (a fault, a heal) at a global time.
  void at(Instant when, std::function<void()> action);

  RunResult run();

  // ---- Fault verbs. Each is idempotent where that makes sense (crashing a crashed node
  // does nothing) and is traced and shown to the checkers as a typed event
  // (core/fault_events.h). `description` is how the event describes the fault that caused
  // it (faults/fault_action.h: FaultDescription), viewed only during the call; an empty
  // PayloadRef describes nothing.
  void crash(NodeId n);
  void restart(NodeId n);
  void pause(NodeId n);
  void resume(NodeId n);
  void clock_jump(NodeId n, Duration by);
  void clock_drift(NodeId n, int64_t drift_ppm);
  uint64_t partition(Cut cut, PayloadRef description);
  void heal(std::optional<uint64_t> cut_id);  // nullopt heals every cut
  uint64_t add_link_window(LinkWindow w, PayloadRef description);
  void end_link_window(uint64_t id);
  // One activity inside a running node stops while the rest of the node runs (a hung
  // worker thread beside a live keep-alive): its timers whose kind is in `spec.timer_kinds`
  // and its messages whose type is in `spec.message_types` (trace names) are held, then
  // handled in arrival order when the stall ends. A crash of the node drops what is held
  // (as it drops a pause's backlog) and ends its stalls. Compare pause(): the whole node.
  // REQUIRES: node_up(n). Returns the stall's id, for end_stall.
  uint64_t stall(NodeId n, StallSpec spec, PayloadRef description);
  void end_stall(uint64_t id);  // no-op when it already ended (by a crash)
  bool node_stalled(NodeId n) const;
  // Disk faults (disk_fail, disk_slow) on a node's DurableStore, for a window; they
  // outlive crashes (the disk is the host's). See core/durable_store.h for what the
  // protocol sees. Each returns the window's id, for end_disk_window.
  uint64_t disk_fail(NodeId n, DiskFailSpec spec, PayloadRef description);
  uint64_t disk_slow(NodeId n, LatencyModel extra_latency, PayloadRef description);
  void end_disk_window(uint64_t id);  // no-op when it already ended
  // A fault that would change nothing now (a crash of a down node, a resume of a running
  // one, a heal of a name with nothing open): traced as `fault_skipped` with the fault and
  // the reason, and counted (metrics.sim.faults_skipped). `node` may be kNoNode.
  void fault_skipped(NodeId node, PayloadRef fault, std::string_view reason);

  // ---- Introspection (tests, checkers, tools).
  Instant now() const final { return Instant{now_ns_}; }
  const Cluster& cluster() const override { return cluster_; }
  uint64_t seed() const override { return config_.seed; }
  bool node_up(NodeId n) const override;
  bool node_paused(NodeId n) const;
  Instant local_time(NodeId n) const;
  DurableStore& storage(NodeId n);
  // The live process of a node (null while it is down). For tests.
  Process* process(NodeId n);
  Network& network() { return network_; }
  uint64_t events_processed() const { return events_; }
  size_t pending_events() const { return queue_.size(); }
  // Bytes the simulator holds for its own objects: the event queue at its peak (12 bytes
  // per pending event: EventQueue::counted_bytes()), the message and timer tables at their peak (they are reused, never shrunk), what message
  // bodies in flight hold on the heap (usually nothing: a struct of up to 56 bytes is
  // held inline), paused nodes' backlogs, what stalls hold, and pending actions.
  // A count of objects, not a reading of the process's memory, so the growth check
  // that uses it stops a given seed at the same event on every machine.
  uint64_t live_bytes() const;
  // The core's bytes per object, shared by live_bytes() and the estimate made before a
  // run (scenario/memory_estimate.h), so both count alike.
  static uint64_t bytes_per_message();  // its table slot and queue entry, body aside
  static uint64_t bytes_per_timer();    // its table slot and queue entry
  static uint64_t bytes_per_node();     // its slot, clock and network stream

 private:
  class NodeContext;
  class NodeDisk;
  struct NodeSlot;
  struct ActiveStall {
    uint64_t id;
    NodeId node;
    StallSpec spec;
    std::vector<QueuedEvent> held;  // in arrival order
  };
  struct DiskWindow {
    uint64_t id;
    NodeId node;
    DiskFailSpec fail;           // for disk_fail
    std::optional<LatencyModel> slow;  // for disk_slow
  };
  // A sync in flight on a slow or hung disk, and who waits for it (sync_async).
  struct SyncWaiter {
    NodeId node;
    uint64_t through;  // the store's write mark the sync covers
    TimerKind kind;
    int64_t arg;
  };
  // A message on its way: 24 bytes. A message without fields is just its interned
  // type; one with fields is kept whole in `with_body_`.
  struct InFlight {
    static constexpr uint32_t kNoBody = UINT32_MAX;
    NodeId from, to;
    uint64_t id : 63;      // MessageId
    uint64_t arrived : 1;  // reached the node while it was paused: no more network checks
    uint32_t type;         // MessageTypes id, when body_slot is kNoBody
    uint32_t body_slot;    // the whole message in with_body_, or kNoBody
  };
  struct TimerSlot {
    NodeId node;
    uint32_t incarnation;
    uint32_t generation;  // bumped on reuse so stale TimerIds never match
    bool cancelled;
    uint32_t code;          // TimerKind::code
    std::string_view kind;  // timer_name(kind): a literal
    int64_t arg;
  };

  // CheckerView
  Instant faults_quiet_since() const override;
  bool ran_to_end() const override { return ran_to_end_; }
  void report(Violation v) override;

  void dispatch(const QueuedEvent& e);
  Json metrics() const;  // RunResult::metrics, at the end of run()
  // `released`: null, or why it comes late ("after_pause", "after_stall").
  void deliver(uint32_t slot, const char* released);
  void fire_timer(uint32_t slot, const char* released);
  ActiveStall* stall_holding(NodeId n, std::string_view timer_kind, std::string_view message_type);
  void end_stalls_on_crash(NodeId n);
  // Disk faults (simulation_disk.cpp).
  void attach_disk(NodeId n);
  DiskStatus begin_sync(NodeId n, uint64_t through);
  void finish_sync(NodeId n, uint64_t through);
  DiskStatus sync_async(NodeId n, TimerKind kind, int64_t arg);
  void drop_disk_work_on_crash(NodeId n);
  size_t crash_storage(NodeId n, size_t* torn);
  void start_process(NodeId n);
  void send_from(NodeId from, NodeId to, Message&& m);
  TimerId set_timer_for(NodeId n, Duration after, TimerKind kind, int64_t arg);
  void cancel_timer(TimerId id);
  void fill_inflight(InFlight& f, NodeId from, NodeId to, MessageId id, Message&& m);
  const Message& message_of(const InFlight& f);
  void free_inflight(uint32_t slot);
  void fault_state_changed();
  bool over_memory_limit() const {
    return config_.limits.max_memory != 0 &&
           config_.limits.memory_baseline_bytes + live_bytes() > config_.limits.max_memory;
  }

  // Tracing and observation.
  bool observing() const { return trace_ != nullptr || !checkers_.empty(); }
  bool observing_network() const { return trace_ != nullptr || !network_checkers_.empty(); }
  // A simulator event (core/fault_events.h); protocol events go through record_typed.
  template <PayloadType E>
  void record(const E& event, NodeId node) {
    if (observing()) record_fault(PayloadRef::to(event), node);
  }
  void record_fault(PayloadRef event, NodeId node);
  // A protocol event of `node`: traced, and shown to the checkers its kind is routed to.
  // REQUIRES: observing() (a trace or at least one checker); callers check it first, as
  // NodeContext::trace_event does. Without a trace, the checkers' route is read unchecked.
  void record_typed(PayloadRef event, NodeId node);
  void record_network(std::string_view event, NodeId from, NodeId to, MessageId id,
                      const Message& m, const char* reason);

  Cluster cluster_;
  SimulationConfig config_;
  ProcessFactory factory_;
  Network network_;
  EventQueue queue_;
  std::vector<NodeSlot> nodes_;
  StableSlots<InFlight> inflight_;
  StableSlots<Message> with_body_;
  MessageTypes message_types_;
  std::vector<TimerSlot> timers_;
  std::vector<uint32_t> free_timers_;
  std::vector<std::function<void()>> actions_;
  std::vector<uint32_t> free_actions_;
  std::vector<std::unique_ptr<Checker>> checkers_;
  // The checkers that asked for network events (wants_network_events), in checkers_' order:
  // asked once when added, not on every message.
  std::vector<Checker*> network_checkers_;
  // The checkers each kind of event goes to (Checker::event_kinds), in checkers_' order.
  CheckerRoutes routes_;
  std::vector<Violation> violations_;
  std::unique_ptr<JsonTraceObserver> trace_;  // null while no trace is open
  const std::atomic<bool>* interrupt_ = nullptr;
  ProgressObserver progress_;
  std::function<void()> loop_start_;
  Rng fault_rng_;
  uint64_t observations_ = 0;  // events shown to the checkers so far

  int64_t now_ns_ = 0;
  uint64_t events_ = 0;
  uint64_t events_this_instant_ = 0;  // events in a row at now_ns_ (max_events_per_instant)
  MessageId next_message_id_ = 1;
  bool stop_requested_ = false;
  bool ran_to_end_ = true;
  bool collect_metrics_ = true;
  size_t crashed_nodes_ = 0;
  size_t paused_nodes_ = 0;
  Instant quiet_since_{0};
  uint64_t body_heap_bytes_ = 0;   // what typed bodies in flight hold on the heap
  uint64_t backlog_events_ = 0;    // queued on paused nodes or held by stalls
  uint64_t next_fault_id_ = 1;     // ids of stalls and disk windows
  std::vector<ActiveStall> stalls_;  // few at a time: searched in order
  std::vector<DiskWindow> disk_windows_;
  std::vector<std::unique_ptr<DiskController>> disks_;  // by node; made on a node's first disk fault
  std::vector<SyncWaiter> sync_waiters_;
  struct DiskState {
    uint32_t epoch = 0;                       // bumped by a crash: stale completions skip
    std::optional<uint64_t> hung_through;     // the hung syncs' reach, while syncs hang
  };
  std::vector<DiskState> disk_state_;  // by node, with disks_

  // Counters for the summary.
  struct Counters {
    uint64_t sent = 0, delivered = 0, duplicated = 0, timers_fired = 0;
    uint64_t dropped_loss = 0, dropped_partition = 0, dropped_node_down = 0;
    uint64_t crashes = 0, restarts = 0, pauses = 0, clock_changes = 0, partitions = 0;
    uint64_t unsynced_writes_lost = 0;
    uint64_t faults_skipped = 0;
    uint64_t stalls = 0, stall_held = 0;
    uint64_t disk_faults = 0, disk_write_errors = 0, disk_sync_errors = 0, disk_read_errors = 0;
    uint64_t syncs_delayed = 0, torn_writes = 0;
    size_t peak_pending_events = 0;
  } counters_;
};

}  // namespace dsim
