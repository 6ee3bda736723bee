// Faults inside a node: a stalled activity holds only its own timers and messages and
// catches up in arrival order; a failing disk refuses writes, syncs and (try_) reads; a
// hung or slow disk completes syncs late and says so through sync_async's timer; a crash
// can leave a torn record that a reader with checksums can tell apart.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/durable_store.h"
#include "faults/fault_runner.h"
#include "faults/nemesis.h"
#include "probe_process.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {

using testing::ProbeLog;
using testing::ProbeTimer;
using testing::make_probe_sim;
using testing::NumberRecord;
using testing::TextRecord;
using testing::number_at;
using testing::probe_message;

Instant ms(int64_t v) { return Instant{Duration::millis(v).ns}; }

SimulationConfig basic_config() {
  SimulationConfig c;
  c.link_defaults = testing::constant_link(Duration::millis(10));
  c.limits.end = Instant{Duration::seconds(10).ns};
  return c;
}

// Records faults_quiet_since() at every event it sees (a fault's own event shows the
// state before it) and at the end ("finish").
class QuietProbe final : public Checker {
 public:
  explicit QuietProbe(std::vector<std::pair<std::string, Instant>>* seen) : seen_(seen) {}
  std::string_view name() const override { return "quiet_probe"; }
  void observe(const Observation& o, CheckerView& view) override {
    seen_->push_back({std::string(o.event), view.faults_quiet_since()});
  }
  void finish(CheckerView& view) override { seen_->push_back({"finish", view.faults_quiet_since()}); }

 private:
  std::vector<std::pair<std::string, Instant>>* seen_;
};

struct Handled {
  Instant at;
  std::string what;
};

// ---------------------------------------------------------------------------- stall

TEST(Stall, HoldsOnlyTheNamedTimersAndMessagesAndReleasesThemInArrivalOrder) {
  ProbeLog log;
  std::vector<Handled> handled;
  log.on_start = [](Context& ctx) {
    if (ctx.self() != 1) return;
    ctx.set_timer(Duration::millis(100), ProbeTimer::kWork, 1);
    ctx.set_timer(Duration::millis(150), ProbeTimer::kKeepalive, 2);
    ctx.set_timer(Duration::millis(300), ProbeTimer::kWork, 3);
  };
  log.on_timer = [&](Context&, const Timer& t) {
    handled.push_back({log.sim->now(), std::string(t.kind) + std::to_string(t.arg)});
  };
  log.plan = {{Duration::millis(190), 0, 1, probe_message<"job">},
              {Duration::millis(200), 0, 1, probe_message<"ping">}};
  auto sim = make_probe_sim(2, log, basic_config());
  std::vector<std::pair<std::string, Instant>> quiet;
  sim->add_checker(std::make_unique<QuietProbe>(&quiet));
  uint64_t id = 0;
  sim->at(ms(50), [&] {
    id = sim->stall(1, StallSpec{{"work"}, {"job"}}, PayloadRef());
    EXPECT_TRUE(sim->node_stalled(1));
    EXPECT_FALSE(sim->node_stalled(0));
  });
  sim->at(ms(500), [&] { sim->end_stall(id); });
  RunResult r = sim->run();

  // The keep-alive ran on time; the stalled activity's timers and its message waited and
  // then came in the order they arrived: work1 (100ms), job (200ms), work3 (300ms).
  ASSERT_EQ(handled.size(), 3u);
  EXPECT_EQ(handled[0].what, "keepalive2");
  EXPECT_EQ(handled[0].at, ms(150));
  EXPECT_EQ(handled[1].what, "work1");
  EXPECT_EQ(handled[1].at, ms(500));
  EXPECT_EQ(handled[2].what, "work3");
  EXPECT_EQ(handled[2].at, ms(500));
  ASSERT_EQ(log.received.size(), 2u);
  EXPECT_EQ(log.received[0].type, "ping");  // not held: handled on arrival
  EXPECT_EQ(log.received[0].at, ms(210));
  EXPECT_EQ(log.received[1].type, "job");
  EXPECT_EQ(log.received[1].at, ms(500));
  EXPECT_EQ(r.metrics["sim"]["stalls"], 1);
  EXPECT_EQ(r.metrics["sim"]["stall_held"], 3);

  // Not quiet while the stall lasts (its end still sees it); quiet again from its end.
  auto quiet_at = [&](const std::string& ev) {
    auto it = std::find_if(quiet.begin(), quiet.end(), [&](auto& p) { return p.first == ev; });
    return it == quiet.end() ? Instant::zero() : it->second;
  };
  EXPECT_EQ(quiet_at("stall_end"), Instant::max());
  EXPECT_EQ(quiet_at("finish"), ms(500));
}

TEST(Stall, HeldEventsArriveInArrivalOrderAcrossTimersAndMessages) {
  ProbeLog log;
  std::vector<std::string> order;
  log.on_start = [](Context& ctx) {
    if (ctx.self() == 1) ctx.set_timer(Duration::millis(250), ProbeTimer::kWork, 7);
  };
  log.on_timer = [&](Context&, const Timer& t) { order.push_back(std::string(t.kind)); };
  log.plan = {{Duration::millis(190), 0, 1, probe_message<"job">}};  // arrives at 200ms, before the timer
  auto sim = make_probe_sim(2, log, basic_config());
  uint64_t id = 0;
  sim->at(ms(10), [&] { id = sim->stall(1, StallSpec{{"work"}, {"job"}}, PayloadRef()); });
  sim->at(ms(400), [&] {
    EXPECT_TRUE(log.received.empty());
    sim->end_stall(id);
    // Released inside end_stall: the message first (it arrived first), then the timer.
    ASSERT_EQ(log.received.size(), 1u);
    ASSERT_EQ(order.size(), 1u);
  });
  sim->run();
  EXPECT_EQ(order, std::vector<std::string>{"work"});
}

TEST(Stall, CrashDropsWhatIsHeldAndEndsTheStall) {
  ProbeLog log;
  std::vector<std::string> fired;
  log.on_start = [](Context& ctx) {
    if (ctx.self() == 1 && ctx.incarnation() == 0) ctx.set_timer(Duration::millis(100), ProbeTimer::kWork);
  };
  log.on_timer = [&](Context&, const Timer& t) { fired.push_back(std::string(t.kind)); };
  log.plan = {{Duration::millis(100), 0, 1, probe_message<"job">}};
  auto sim = make_probe_sim(2, log, basic_config());
  uint64_t id = 0;
  sim->at(ms(10), [&] { id = sim->stall(1, StallSpec{{"work"}, {"job"}}, PayloadRef()); });
  sim->at(ms(300), [&] { sim->crash(1); });
  sim->at(ms(400), [&] {
    EXPECT_FALSE(sim->node_stalled(1));
    sim->restart(1);
  });
  sim->at(ms(500), [&] { sim->end_stall(id); });  // already ended: a no-op
  RunResult r = sim->run();
  EXPECT_TRUE(fired.empty());
  EXPECT_TRUE(log.received.empty());
  EXPECT_EQ(r.metrics["sim"]["dropped_node_down"], 1);
}

TEST(Stall, ScriptedStallLoadsRunsAndRoundTrips) {
  std::string text = R"({"name": "t", "duration": "3s", "nodes": 3, "protocol": {"name": "heartbeat"},
    "faults": {"schedule": [{"at": "1s", "action": "stall", "node": "n1", "timers": ["tick"],
                             "messages": ["ping"], "for": "500ms"}]}})";
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_json(parse_json_text(text, "s.json"), "s.json", {}, std::nullopt);
  ASSERT_EQ(s.scripted_faults.size(), 1u);
  const FaultAction& a = s.scripted_faults[0];
  EXPECT_EQ(a.kind, FaultAction::Kind::kStall);
  EXPECT_EQ(a.timer_kinds, std::vector<std::string>{"tick"});
  EXPECT_EQ(a.message_types, std::vector<std::string>{"ping"});
  EXPECT_EQ(a.to_json(s.cluster).dump(),
            R"({"at":"1s","action":"stall","node":["n1"],"timers":["tick"],"messages":["ping"],"for":"500ms"})");

  std::string bad = R"({"name": "t", "duration": "3s", "nodes": 3, "protocol": {"name": "heartbeat"},
    "faults": {"schedule": [{"at": "1s", "action": "stall", "node": "n1"}]}})";
  try {
    loader.load_json(parse_json_text(bad, "s.json"), "s.json", {}, std::nullopt);
    ADD_FAILURE() << "a stall that holds nothing loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("$.faults.schedule[0].timers"), std::string::npos) << e.what();
  }
  // A stall of a node that is down then would hold nothing: refused like a pause of one.
  std::string down = R"({"name": "t", "duration": "3s", "nodes": 3, "protocol": {"name": "heartbeat"},
    "faults": {"schedule": [{"at": "1s", "action": "crash", "node": "n1", "for": "1s"},
                            {"at": "1500ms", "action": "stall", "node": "n1", "timers": ["tick"]}]}})";
  try {
    loader.load_json(parse_json_text(down, "s.json"), "s.json", {}, std::nullopt);
    ADD_FAILURE() << "a stall of a crashed node loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("$.faults.schedule[1].action"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("is down"), std::string::npos) << e.what();
  }
}

// ------------------------------------------------------------------ disk: the store

// A disk whose answers the test sets.
struct FakeDisk final : DiskController {
  bool writes = false, reads = false;
  DiskStatus sync = DiskStatus::kOk;
  bool write_fails() override { return writes; }
  bool read_fails() override { return reads; }
  DiskStatus begin_sync(uint64_t) override { return sync; }
};

TEST(DiskFail, AFailedWriteIsNotMadeAndAFailedSyncMakesNothingDurable) {
  DurableStore s;
  FakeDisk disk;
  s.set_controller(&disk);
  EXPECT_EQ(s.put("a", NumberRecord{1}), DiskStatus::kOk);
  disk.writes = true;
  EXPECT_EQ(s.put("b", NumberRecord{2}), DiskStatus::kIoError);
  EXPECT_EQ(s.append("wal", TextRecord{"x"}), DiskStatus::kIoError);
  EXPECT_FALSE(number_at(s, "b").has_value());  // not even in the page cache
  EXPECT_TRUE(s.read_records("wal").empty());
  disk.writes = false;
  disk.sync = DiskStatus::kIoError;
  EXPECT_EQ(s.sync(), DiskStatus::kIoError);
  EXPECT_EQ(s.unsynced_writes(), 1u);  // still pending: visible, but lost on a crash
  EXPECT_EQ(number_at(s, "a"), 1);
  disk.sync = DiskStatus::kOk;
  uint64_t mark = s.write_mark();
  EXPECT_FALSE(s.durable(mark));
  EXPECT_EQ(s.sync(), DiskStatus::kOk);  // a later sync may still make them durable
  EXPECT_TRUE(s.durable(mark));
  EXPECT_EQ(s.crash(), 0u);
  EXPECT_EQ(number_at(s, "a"), 1);
}

TEST(DiskFail, ReadsFailOnlyThroughTheTryReads) {
  DurableStore s;
  FakeDisk disk;
  s.set_controller(&disk);
  s.append("wal", TextRecord{"x"});
  disk.reads = true;
  RecordLog log;
  const Payload* record = nullptr;
  EXPECT_EQ(s.try_read_records("wal", &log), DiskStatus::kIoError);
  EXPECT_EQ(s.try_get_record("k", &record), DiskStatus::kIoError);
  EXPECT_EQ(s.read_records("wal").size(), 1u);  // the plain reads are never failed
  disk.reads = false;
  EXPECT_EQ(s.try_read_records("wal", &log), DiskStatus::kOk);
  EXPECT_EQ(log.size(), 1u);
}

TEST(DiskFail, ASyncInProgressBecomesDurableOnlyWhenTheDiskFinishes) {
  DurableStore s;
  FakeDisk disk;
  s.set_controller(&disk);
  s.put("a", NumberRecord{1});
  disk.sync = DiskStatus::kInProgress;
  uint64_t mark = s.write_mark();
  EXPECT_EQ(s.sync(), DiskStatus::kInProgress);
  s.put("b", NumberRecord{2});  // after the sync began: not covered by it
  EXPECT_FALSE(s.durable(mark));
  s.finish_sync(mark);
  EXPECT_TRUE(s.durable(mark));
  EXPECT_EQ(s.unsynced_writes(), 1u);
  EXPECT_EQ(s.crash(), 1u);
  EXPECT_EQ(number_at(s, "a"), 1);
  EXPECT_FALSE(number_at(s, "b").has_value());
}

// -------------------------------------------------------- disk: in the simulation

enum class DiskTimer : uint32_t { kWrite, kSynced };
std::string_view timer_name(DiskTimer k) { return k == DiskTimer::kWrite ? "write" : "synced"; }

// Node 0 writes one record and asks for it to be synced at `write_at`; records what the
// store answered and when the sync_async timer said it was durable.
struct DiskProbe {
  std::vector<DiskStatus> statuses;
  std::vector<Instant> synced_at;
  std::vector<bool> durable_when_told;
  uint64_t mark = 0;

  void install(ProbeLog& log, Duration write_at) {
    log.on_start = [write_at](Context& ctx) {
      if (ctx.self() == 0 && ctx.incarnation() == 0) ctx.set_timer(write_at, DiskTimer::kWrite);
    };
    log.on_timer = [this, &log](Context& ctx, const Timer& t) {
      if (t.is(DiskTimer::kWrite)) {
        statuses.push_back(ctx.storage().append("wal", TextRecord{"prepared"}));
        mark = ctx.storage().write_mark();
        statuses.push_back(ctx.sync_async(DiskTimer::kSynced));
      } else if (t.is(DiskTimer::kSynced)) {
        synced_at.push_back(log.sim->now());
        durable_when_told.push_back(ctx.storage().durable(mark));
      }
    };
  }
};

TEST(DiskFail, FailModeRefusesWritesAndSyncsForTheWindowOnly) {
  ProbeLog log;
  DiskProbe probe;
  probe.install(log, Duration::millis(100));
  auto sim = make_probe_sim(1, log, basic_config());
  std::vector<std::pair<std::string, Instant>> quiet;
  sim->add_checker(std::make_unique<QuietProbe>(&quiet));
  DiskFailSpec spec;
  spec.writes = true;
  spec.syncs = true;
  uint64_t id = 0;
  sim->at(ms(50), [&] { id = sim->disk_fail(0, spec, PayloadRef()); });
  sim->at(ms(200), [&] { sim->end_disk_window(id); });
  RunResult r = sim->run();
  EXPECT_EQ(probe.statuses, (std::vector<DiskStatus>{DiskStatus::kIoError, DiskStatus::kIoError}));
  EXPECT_TRUE(probe.synced_at.empty());  // a failed sync fires no timer
  EXPECT_TRUE(sim->storage(0).read_records("wal").empty());
  EXPECT_EQ(r.metrics["sim"]["disk_faults"], 1);
  EXPECT_EQ(r.metrics["sim"]["disk_write_errors"], 1);
  EXPECT_EQ(r.metrics["sim"]["disk_sync_errors"], 1);
  ASSERT_EQ(quiet.size(), 3u);
  EXPECT_EQ(quiet[1].first, "disk_fault_end");
  EXPECT_EQ(quiet[1].second, Instant::max());
  EXPECT_EQ(quiet[2].first, "finish");
  EXPECT_EQ(quiet[2].second, ms(200));
}

TEST(DiskFail, AHungSyncCompletesWhenTheWindowEnds) {
  ProbeLog log;
  DiskProbe probe;
  probe.install(log, Duration::millis(100));
  auto sim = make_probe_sim(1, log, basic_config());
  DiskFailSpec spec;
  spec.syncs = true;
  spec.hang = true;
  uint64_t id = 0;
  sim->at(ms(50), [&] { id = sim->disk_fail(0, spec, PayloadRef()); });
  sim->at(ms(150), [&] { EXPECT_EQ(sim->storage(0).unsynced_writes(), 1u); });
  sim->at(ms(400), [&] { sim->end_disk_window(id); });
  RunResult r = sim->run();
  EXPECT_EQ(probe.statuses, (std::vector<DiskStatus>{DiskStatus::kOk, DiskStatus::kInProgress}));
  ASSERT_EQ(probe.synced_at.size(), 1u);
  EXPECT_EQ(probe.synced_at[0], ms(400));
  EXPECT_EQ(probe.durable_when_told, std::vector<bool>{true});
  EXPECT_EQ(sim->storage(0).unsynced_writes(), 0u);
  EXPECT_EQ(r.metrics["sim"]["syncs_delayed"], 1);
}

TEST(DiskFail, ACrashDuringAHangLosesTheWriteAndTheWaiter) {
  ProbeLog log;
  DiskProbe probe;
  probe.install(log, Duration::millis(100));
  auto sim = make_probe_sim(1, log, basic_config());
  DiskFailSpec spec;
  spec.syncs = true;
  spec.hang = true;
  uint64_t id = 0;
  sim->at(ms(50), [&] { id = sim->disk_fail(0, spec, PayloadRef()); });
  sim->at(ms(200), [&] { sim->crash(0); });
  sim->at(ms(300), [&] { sim->restart(0); });
  sim->at(ms(400), [&] { sim->end_disk_window(id); });
  RunResult r = sim->run();
  EXPECT_TRUE(probe.synced_at.empty());
  EXPECT_TRUE(sim->storage(0).read_records("wal").empty());
  EXPECT_EQ(r.metrics["sim"]["unsynced_writes_lost"], 1);
}

TEST(DiskSlow, EachSyncTakesTheDrawnExtraLatency) {
  ProbeLog log;
  DiskProbe probe;
  probe.install(log, Duration::millis(100));
  auto sim = make_probe_sim(1, log, basic_config());
  LatencyModel extra;
  extra.kind = LatencyModel::Kind::kConstant;
  extra.value = Duration::millis(30);
  sim->at(ms(50), [&] { sim->disk_slow(0, extra, PayloadRef()); });
  sim->at(ms(110), [&] { EXPECT_EQ(sim->storage(0).unsynced_writes(), 1u); });
  RunResult r = sim->run();
  EXPECT_EQ(probe.statuses, (std::vector<DiskStatus>{DiskStatus::kOk, DiskStatus::kInProgress}));
  ASSERT_EQ(probe.synced_at.size(), 1u);
  EXPECT_EQ(probe.synced_at[0], ms(130));
  EXPECT_EQ(probe.durable_when_told, std::vector<bool>{true});
  EXPECT_EQ(r.metrics["sim"]["syncs_delayed"], 1);
}

TEST(DiskSlow, AHealthyDiskTellsAtOnce) {
  ProbeLog log;
  DiskProbe probe;
  probe.install(log, Duration::millis(100));
  auto sim = make_probe_sim(1, log, basic_config());
  RunResult r = sim->run();
  EXPECT_EQ(probe.statuses, (std::vector<DiskStatus>{DiskStatus::kOk, DiskStatus::kOk}));
  ASSERT_EQ(probe.synced_at.size(), 1u);
  EXPECT_EQ(probe.synced_at[0], ms(100));
  EXPECT_FALSE(r.metrics["sim"].contains("disk_faults"));  // older summaries unchanged
}

TEST(DiskFaults, ScriptedDiskFaultsLoadAndRoundTrip) {
  std::string text = R"({"name": "t", "duration": "3s", "nodes": 3, "protocol": {"name": "heartbeat"},
    "storage": {"torn_write": 0.5},
    "faults": {"schedule": [
      {"at": "1s", "action": "disk_fail", "node": "n0", "ops": ["write", "sync"], "for": "1s"},
      {"at": "1s", "action": "disk_fail", "node": "n1", "ops": ["sync"], "mode": "hang", "for": "1s"},
      {"at": "1s", "action": "disk_slow", "node": "n2", "latency": {"dist": "exponential", "mean": "5ms"}, "for": "1s"}]}})";
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_json(parse_json_text(text, "s.json"), "s.json", {}, std::nullopt);
  EXPECT_EQ(s.sim.torn_write_probability, 0.5);
  ASSERT_EQ(s.scripted_faults.size(), 3u);
  EXPECT_EQ(s.scripted_faults[0].to_json(s.cluster).dump(),
            R"({"at":"1s","action":"disk_fail","node":["n0"],"ops":["write","sync"],"mode":"fail","for":"1s"})");
  EXPECT_TRUE(s.scripted_faults[1].disk_hang);
  EXPECT_EQ(s.scripted_faults[2].to_json(s.cluster).dump(),
            R"({"at":"1s","action":"disk_slow","node":["n2"],"latency":{"dist":"exponential","mean":"5ms"},"for":"1s"})");

  std::string bad = R"({"name": "t", "duration": "3s", "nodes": 3, "protocol": {"name": "heartbeat"},
    "faults": {"schedule": [{"at": "1s", "action": "disk_fail", "node": "n0", "ops": ["write"], "mode": "hang"}]}})";
  try {
    loader.load_json(parse_json_text(bad, "s.json"), "s.json", {}, std::nullopt);
    ADD_FAILURE() << "a hanging write loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("$.faults.schedule[0].ops"), std::string::npos) << e.what();
  }
}

// ------------------------------------------------------------------------ torn writes

struct Prepared {
  static constexpr std::string_view kName = "prepared";
  int64_t tx;
  void write_fields(Json& out) const { out["tx"] = tx; }
};

TEST(TornWrite, TheFirstLostAppendSurvivesFlaggedTorn) {
  DurableStore s;
  s.append("wal", Prepared{1});
  s.sync();
  s.append("wal", Prepared{2});  // the record being written when the power went
  s.append("wal", Prepared{3});
  EXPECT_EQ(s.crash(0, /*tear_next=*/true), 2u);
  EXPECT_TRUE(s.last_crash_tore());
  RecordLog log = s.read_records("wal");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_FALSE(log.torn(0));
  EXPECT_TRUE(log.torn(1));
  // A reader without checksums sees the fields as if whole; one with checksums drops it.
  ASSERT_NE(log[1].as<Prepared>(), nullptr);
  EXPECT_EQ(log[1].as<Prepared>()->tx, 2);
  size_t intact = 0;
  while (intact < log.size() && !log.torn(intact)) ++intact;
  EXPECT_EQ(intact, 1u);
  // It is on disk now: the next crash keeps it, still torn.
  s.append("wal", Prepared{4});
  s.sync();
  s.crash();
  EXPECT_TRUE(s.read_records("wal").torn(1));
  EXPECT_FALSE(s.read_records("wal").torn(2));
}

TEST(TornWrite, APutIsNeverTorn) {
  DurableStore s;
  s.put("k", Prepared{1});
  EXPECT_EQ(s.crash(0, true), 1u);
  EXPECT_FALSE(s.last_crash_tore());
  EXPECT_EQ(s.get_record("k"), nullptr);
}

TEST(TornWrite, TheSimulationTearsAtTheSettingsRateAndCountsIt) {
  ProbeLog log;
  log.on_start = [](Context& ctx) {
    if (ctx.incarnation() == 0) ctx.storage().append("wal", Prepared{1});
  };
  SimulationConfig config = basic_config();
  config.torn_write_probability = 1.0;
  auto sim = make_probe_sim(1, log, config);
  sim->at(ms(100), [&] { sim->crash(0); });
  RunResult r = sim->run();
  EXPECT_EQ(r.metrics["sim"]["torn_writes"], 1);
  EXPECT_TRUE(sim->storage(0).read_records("wal").torn(0));
}

// ------------------------------------------------------------------------- nemesis

TEST(Nemesis, InNodeKindsAreDrawnOnlyWhenNamed) {
  NemesisConfig c;
  c.kinds = default_random_fault_kinds();
  for (const char* k : {"stall", "disk_fail", "disk_slow"}) {
    EXPECT_EQ(std::count(c.kinds.begin(), c.kinds.end(), k), 0) << k;
    EXPECT_EQ(std::count(random_fault_kinds().begin(), random_fault_kinds().end(), k), 1) << k;
  }
  c.kinds = {"stall", "disk_fail", "disk_slow"};
  c.swarm = false;
  c.targets = {0, 1, 2};
  c.stall_timers = {"tick"};
  c.stall_messages = {"ping"};
  c.start = ms(0);
  c.stop = Instant{Duration::seconds(60).ns};
  c.mean_interval = Duration::millis(200);
  NemesisPlan plan = plan_nemesis(c, 3, 5);
  size_t stalls = 0, fails = 0, slows = 0;
  for (const FaultAction& a : plan.actions) {
    ASSERT_EQ(a.nodes.size(), 1u);
    if (a.kind == FaultAction::Kind::kStall) {
      ++stalls;
      EXPECT_FALSE(a.timer_kinds.empty() && a.message_types.empty());
    } else if (a.kind == FaultAction::Kind::kDiskFail) {
      ++fails;
      EXPECT_FALSE(a.disk_ops.empty());
      if (a.disk_hang) {
        EXPECT_EQ(a.disk_ops, std::vector<std::string>{"sync"});
      }
    } else if (a.kind == FaultAction::Kind::kDiskSlow) {
      ++slows;
      EXPECT_EQ(a.disk_latency.kind, LatencyModel::Kind::kExponential);
      EXPECT_LE(a.disk_latency.value, c.disk_latency_max);
    }
    ASSERT_TRUE(a.lasts.has_value());
    EXPECT_LE(a.at + *a.lasts, c.stop);
  }
  EXPECT_GT(stalls, 10u);
  EXPECT_GT(fails, 10u);
  EXPECT_GT(slows, 10u);
}

TEST(Nemesis, StallNeedsSomethingToHold) {
  std::string text = R"({"name": "t", "duration": "3s", "nodes": 3, "protocol": {"name": "heartbeat"},
    "faults": {"random": {"kinds": ["stall"]}}})";
  ScenarioLoader loader(protocol_families());
  try {
    loader.load_json(parse_json_text(text, "s.json"), "s.json", {}, std::nullopt);
    ADD_FAILURE() << "a stall nemesis with nothing to hold loaded";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("stall_timers"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dsim
