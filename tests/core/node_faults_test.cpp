// Node lifecycle faults: crash loses volatile state, timers and unsynced writes; restart
// recovers from what was synced; pause defers everything to resume; clocks jump and drift.
#include <gtest/gtest.h>

#include "core/durable_store.h"
#include "probe_process.h"

namespace dsim {
namespace {

using testing::NumberRecord;
using testing::ProbeLog;
using testing::ProbeTimer;
using testing::TextRecord;
using testing::make_probe_sim;
using testing::number_at;
using testing::probe_message;
using testing::text_at;
using testing::texts_in;

SimulationConfig basic_config() {
  SimulationConfig c;
  c.link_defaults = testing::constant_link(Duration::millis(10));
  c.limits.end = Instant{Duration::seconds(10).ns};
  return c;
}

TEST(DurableStore, CrashKeepsSyncedAndLosesUnsyncedWrites) {
  DurableStore s;
  s.put("a", NumberRecord{1});
  s.append("wal", TextRecord{"prepared"});
  s.sync();
  s.put("a", NumberRecord{2});
  s.put("b", NumberRecord{3});
  s.append("wal", TextRecord{"commit"});
  EXPECT_EQ(number_at(s, "a"), 2);  // the process reads its own writes
  EXPECT_EQ(texts_in(s, "wal"), (std::vector<std::string>{"prepared", "commit"}));
  EXPECT_EQ(s.crash(), 3u);
  EXPECT_EQ(number_at(s, "a"), 1);
  EXPECT_FALSE(number_at(s, "b").has_value());
  EXPECT_EQ(texts_in(s, "wal"), std::vector<std::string>{"prepared"});
}

TEST(DurableStore, CrashCanKeepAPrefixOfUnsyncedWrites) {
  DurableStore s;
  s.put("a", NumberRecord{1});
  s.put("b", NumberRecord{2});
  s.put("c", NumberRecord{3});
  EXPECT_EQ(s.crash(/*keep_unsynced=*/2), 1u);
  EXPECT_EQ(number_at(s, "a"), 1);
  EXPECT_EQ(number_at(s, "b"), 2);
  EXPECT_FALSE(number_at(s, "c").has_value());
}

// Logs are held once, with the length that is durable (durable_store.h): interleaved
// appends to two logs and puts, a crash that keeps a prefix of the unsynced writes (which
// ends inside one log and tears the other's next record), and writes after it.
TEST(DurableStore, InterleavedLogsAndKeysSurviveACrashInWriteOrder) {
  DurableStore s;
  s.append("wal", TextRecord{"w1"});
  s.append("undo", TextRecord{"u1"});
  s.put("a", NumberRecord{1});
  s.sync();
  s.append("wal", TextRecord{"w2"});   // kept
  s.put("a", NumberRecord{2});         // kept
  s.erase("a");                        // kept
  s.append("undo", TextRecord{"u2"});  // lost, torn
  s.append("wal", TextRecord{"w3"});   // lost
  s.put("b", NumberRecord{3});         // lost
  EXPECT_EQ(texts_in(s, "wal"), (std::vector<std::string>{"w1", "w2", "w3"}));
  EXPECT_EQ(s.unsynced_writes(), 6u);
  EXPECT_EQ(s.crash(/*keep_unsynced=*/3, /*tear_next=*/true), 3u);
  EXPECT_TRUE(s.last_crash_tore());
  EXPECT_EQ(texts_in(s, "wal"), (std::vector<std::string>{"w1", "w2"}));
  EXPECT_EQ(texts_in(s, "undo"), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_TRUE(s.read_records("undo").torn(1));
  EXPECT_FALSE(s.read_records("wal").torn(1));
  EXPECT_FALSE(number_at(s, "a").has_value());
  EXPECT_FALSE(number_at(s, "b").has_value());
  EXPECT_EQ(s.unsynced_writes(), 0u);
  // After the crash: a log grows from what survived, and an unsynced append is lost again.
  s.append("wal", TextRecord{"w4"});
  s.sync();
  s.append("wal", TextRecord{"w5"});
  s.append("new", TextRecord{"n1"});
  EXPECT_EQ(s.crash(), 2u);
  EXPECT_EQ(texts_in(s, "wal"), (std::vector<std::string>{"w1", "w2", "w4"}));
  EXPECT_TRUE(texts_in(s, "new").empty());
  EXPECT_TRUE(s.read_records("undo").torn(1));
}

TEST(NodeFaults, CrashLosesVolatileStateAndRestartRecoversFromStorage) {
  ProbeLog log;
  log.on_start = [](Context& ctx) {
    if (ctx.incarnation() == 0) {
      ctx.storage().put("synced", TextRecord{"yes"});
      ctx.storage().sync();
      ctx.storage().put("unsynced", TextRecord{"lost"});
    }
  };
  auto sim = make_probe_sim(1, log, basic_config());
  sim->at(Instant{Duration::seconds(1).ns}, [&] {
    EXPECT_NE(sim->process(0), nullptr);
    sim->crash(0);
    EXPECT_EQ(sim->process(0), nullptr);  // the Process object (volatile state) is gone
    EXPECT_FALSE(sim->node_up(0));
  });
  sim->at(Instant{Duration::seconds(2).ns}, [&] { sim->restart(0); });
  RunResult r = sim->run();
  ASSERT_EQ(log.starts.size(), 2u);
  EXPECT_EQ(log.starts[1], std::make_pair(NodeId{0}, uint32_t{1}));
  EXPECT_EQ(text_at(sim->storage(0), "synced"), "yes");
  EXPECT_FALSE(text_at(sim->storage(0), "unsynced").has_value());
  EXPECT_EQ(r.metrics["sim"]["unsynced_writes_lost"], 1);
}

TEST(NodeFaults, CrashCancelsPendingTimers) {
  ProbeLog log;
  log.on_start = [](Context& ctx) { ctx.set_timer(Duration::seconds(2), ProbeTimer::kTick); };
  auto sim = make_probe_sim(1, log, basic_config());
  sim->at(Instant{Duration::seconds(1).ns}, [&] { sim->crash(0); });
  sim->at(Instant{Duration::millis(1500).ns}, [&] { sim->restart(0); });
  sim->run();
  // The first incarnation's timer (due at 2s) must not fire; the second's (3.5s) does.
  ASSERT_EQ(log.timers.size(), 1u);
}

TEST(NodeFaults, MessagesToACrashedNodeAreDropped) {
  ProbeLog log;
  log.plan.push_back({Duration::seconds(1), 0, 1, probe_message<"m">});
  auto sim = make_probe_sim(2, log, basic_config());
  sim->at(Instant{Duration::millis(500).ns}, [&] { sim->crash(1); });
  sim->at(Instant{Duration::seconds(2).ns}, [&] { sim->restart(1); });
  RunResult r = sim->run();
  EXPECT_TRUE(log.received.empty());
  EXPECT_EQ(r.metrics["sim"]["dropped_node_down"], 1);
}

TEST(NodeFaults, PauseDefersMessagesAndTimersUntilResume) {
  ProbeLog log;
  log.plan.push_back({Duration::seconds(1), 0, 1, probe_message<"m">});
  log.on_start = [](Context& ctx) {
    if (ctx.self() == 1) ctx.set_timer(Duration::millis(1200), ProbeTimer::kTick);
  };
  auto sim = make_probe_sim(2, log, basic_config());
  sim->at(Instant{Duration::millis(500).ns}, [&] { sim->pause(1); });
  sim->at(Instant{Duration::seconds(3).ns}, [&] {
    EXPECT_TRUE(log.received.empty());
    EXPECT_EQ(log.timers.size(), 1u);  // only node 0's send timer so far
    sim->resume(1);
  });
  sim->run();
  ASSERT_EQ(log.received.size(), 1u);
  EXPECT_EQ(log.received[0].at.ns, Duration::seconds(3).ns);  // handled at resume
  ASSERT_EQ(log.timers.size(), 2u);
  EXPECT_EQ(log.timers[1], std::make_pair(NodeId{1}, std::string("tick")));
}

TEST(NodeFaults, PausedNodeStillReceivesAcrossALaterCut) {
  // A message that reached a paused node is in its socket buffer: a partition after that
  // does not take it back.
  ProbeLog log;
  log.plan.push_back({Duration::millis(100), 0, 1, probe_message<"m">});
  auto sim = make_probe_sim(2, log, basic_config());
  sim->at(Instant{Duration::millis(50).ns}, [&] { sim->pause(1); });
  sim->at(Instant{Duration::millis(200).ns}, [&] {
    Cut c;
    c.kind = Cut::Kind::kGroups;
    c.group_of = {0, 1};
    sim->partition(std::move(c), PayloadRef());
  });
  sim->at(Instant{Duration::millis(300).ns}, [&] { sim->resume(1); });
  sim->run();
  EXPECT_EQ(log.received.size(), 1u);
}

TEST(NodeFaults, ClockJumpMovesNowButNotTimers) {
  ProbeLog log;
  std::vector<int64_t> local_at_timer;
  log.on_start = [](Context& ctx) { ctx.set_timer(Duration::seconds(2), ProbeTimer::kTick); };
  log.on_timer = [&](Context& ctx, const Timer&) { local_at_timer.push_back(ctx.now().ns); };
  auto sim = make_probe_sim(1, log, basic_config());
  sim->at(Instant{Duration::seconds(1).ns}, [&] {
    sim->clock_jump(0, Duration::millis(500));
    EXPECT_EQ(sim->local_time(0).ns, Duration::millis(1500).ns);
  });
  sim->run();
  ASSERT_EQ(local_at_timer.size(), 1u);
  // Fired at global 2s (monotonic timer), reading a wall clock 500ms ahead.
  EXPECT_EQ(local_at_timer[0], Duration::millis(2500).ns);
}

TEST(NodeFaults, ClockDriftScalesLocalTimeAndTimers) {
  ProbeLog log;
  std::vector<Instant> global_at_timer;
  log.on_start = [](Context& ctx) { ctx.set_timer(Duration::seconds(3), ProbeTimer::kTick); };
  log.on_timer = [&](Context&, const Timer&) { global_at_timer.push_back(log.sim->now()); };
  SimulationConfig c = basic_config();
  c.clocks = {NodeClock(Duration::zero(), 500000)};  // 1.5x fast from the start
  auto sim = make_probe_sim(1, log, c);
  sim->at(Instant{Duration::seconds(1).ns}, [&] {
    EXPECT_EQ(sim->local_time(0).ns, Duration::millis(1500).ns);
  });
  sim->run();
  ASSERT_EQ(global_at_timer.size(), 1u);
  EXPECT_EQ(global_at_timer[0].ns, Duration::seconds(2).ns);  // 3s local at 1.5x = 2s
}

TEST(NodeClock, DriftChangeKeepsTimeContinuous) {
  NodeClock clock(Duration::millis(100), 0);
  EXPECT_EQ(clock.local_at(Instant{Duration::seconds(1).ns}).ns, Duration::millis(1100).ns);
  clock.set_drift(Instant{Duration::seconds(1).ns}, -100000);  // 0.9x from 1s on
  EXPECT_EQ(clock.local_at(Instant{Duration::seconds(1).ns}).ns, Duration::millis(1100).ns);
  EXPECT_EQ(clock.local_at(Instant{Duration::seconds(2).ns}).ns, Duration::millis(2000).ns);
}

TEST(NodeFaults, DownAtStartNodeStartsOnRestart) {
  ProbeLog log;
  SimulationConfig c = basic_config();
  c.down_at_start = {1};
  auto sim = make_probe_sim(2, log, c);
  sim->at(Instant{Duration::seconds(1).ns}, [&] {
    EXPECT_FALSE(sim->node_up(1));
    sim->restart(1);
  });
  sim->run();
  ASSERT_EQ(log.starts.size(), 2u);
  EXPECT_EQ(log.starts[1], std::make_pair(NodeId{1}, uint32_t{0}));  // its first boot
}

TEST(NodeFaults, FaultsQuietSinceTracksTheLastFaultToEnd) {
  ProbeLog log;
  auto sim = make_probe_sim(2, log, basic_config());
  class QuietProbe : public Checker {
   public:
    std::string_view name() const override { return "quiet_probe"; }
    void observe(const Observation&, CheckerView&) override {}
    void finish(CheckerView& v) override { quiet = v.faults_quiet_since(); }
    Instant quiet;
  };
  auto probe = std::make_unique<QuietProbe>();
  QuietProbe* p = probe.get();
  sim->add_checker(std::move(probe));
  sim->at(Instant{Duration::seconds(1).ns}, [&] { sim->crash(0); });
  sim->at(Instant{Duration::seconds(2).ns}, [&] { sim->pause(1); });
  sim->at(Instant{Duration::seconds(3).ns}, [&] { sim->restart(0); });
  sim->at(Instant{Duration::seconds(4).ns}, [&] { sim->resume(1); });
  sim->run();
  EXPECT_EQ(p->quiet.ns, Duration::seconds(4).ns);
}

}  // namespace
}  // namespace dsim
