// The simulator's fault events are typed (core/fault_events.h): each writes exactly the
// JSON the simulator used to build for it by hand (the reference functions below are that
// code, kept verbatim), a checker reads them with as<E>() and their JSON only on request,
// and the trace shows them as before.
#include <gtest/gtest.h>

#include <set>

#include "core/fault_events.h"
#include "faults/fault_action.h"
#include "faults/fault_runner.h"
#include "faults/nemesis.h"
#include "probe_process.h"

namespace dsim {
namespace {

namespace fe = fault_events;

std::string fields_of(const auto& event) { return PayloadRef::to(event).fields().dump(); }

Cluster cluster(size_t n) {
  Cluster c;
  for (size_t i = 0; i < n; ++i) c.add("n" + std::to_string(i), "node");
  return c;
}

// ---- The JSON the simulator built before its events were typed.
Json old_describe(const FaultAction& a, const Cluster& cluster) {
  Json description = a.to_json(cluster);
  description.erase("at");
  return description;
}

TEST(FaultEvents, NodeAndClockEventsWriteWhatTheOldCodeWrote) {
  for (size_t torn : {0, 1}) {
    Json f = Json::object();
    size_t lost = 3;
    f["unsynced_writes_lost"] = lost;
    if (torn > 0) f["torn_writes"] = torn;
    EXPECT_EQ(fields_of(fe::Crash{lost, torn}), f.dump());
  }
  {
    Json f = Json::object();
    uint32_t starts = 2;
    f["incarnation"] = starts;
    EXPECT_EQ(fields_of(fe::Restart{starts}), f.dump());
  }
  EXPECT_FALSE(PayloadRef::to(fe::Pause{}).has_fields());  // the old `{}`: no "data"
  {
    Json f = Json::object();
    f["backlog"] = size_t{4};
    EXPECT_EQ(fields_of(fe::Resume{4}), f.dump());
  }
  for (int64_t by : {int64_t{-1500000000}, int64_t{0}, INT64_MAX}) {
    Json f = Json::object();
    f["by_ns"] = by;
    EXPECT_EQ(fields_of(fe::ClockJump{by}), f.dump());
  }
  for (int64_t ppm : {int64_t{-500000}, int64_t{0}, int64_t{250}}) {
    Json f = Json::object();
    f["drift_ppm"] = ppm;
    EXPECT_EQ(fields_of(fe::ClockDrift{ppm}), f.dump());
  }
}

TEST(FaultEvents, WindowAndDiskEventsWriteWhatTheOldCodeWrote) {
  for (std::optional<uint64_t> cut_id : {std::optional<uint64_t>{}, std::optional<uint64_t>{7}}) {
    Json f = Json::object();
    size_t healed = cut_id ? 1 : 3;
    if (cut_id) f["cut"] = *cut_id;
    f["cuts_healed"] = healed;
    EXPECT_EQ(fields_of(fe::Heal{cut_id, healed}), f.dump());
  }
  {
    Json f = Json::object();
    f["window"] = uint64_t{5};
    EXPECT_EQ(fields_of(fe::LinkWindowEnd{5}), f.dump());
    EXPECT_EQ(fields_of(fe::DiskFaultEnd{5}), f.dump());
  }
  {
    Json f = Json::object();
    f["stall"] = uint64_t{2};
    f["held"] = size_t{6};
    EXPECT_EQ(fields_of(fe::StallEnd{2, 6, false}), f.dump());
  }
  {
    Json f = Json::object();
    f["stall"] = uint64_t{2};
    f["held_lost"] = size_t{6};
    f["ended_by"] = "crash";
    EXPECT_EQ(fields_of(fe::StallEnd{2, 6, true}), f.dump());
  }
  for (bool hang : {false, true}) {
    Json f = Json::object();
    f["through"] = uint64_t{9};
    if (hang) {
      f["until"] = "window_end";
    } else {
      f["extra_ns"] = int64_t{1234};
    }
    EXPECT_EQ(fields_of(fe::SyncDelayed{9, hang, 1234}), f.dump());
  }
  {
    Json f = Json::object();
    f["through"] = uint64_t{9};
    EXPECT_EQ(fields_of(fe::SyncDone{9}), f.dump());
  }
}

// Every kind of action, as the nemesis draws them (all kinds, many seeds) and as scripts
// write the kinds it never draws (restart, resume, heal) or the fields it never sets
// (names, windows without `for`).
std::vector<FaultAction> every_kind_of_action(const Cluster& c) {
  NemesisConfig config;
  config.kinds = random_fault_kinds();
  config.stall_timers = {"tick", "send"};
  config.stall_messages = {"job"};
  for (NodeId n = 0; n < c.size(); ++n) config.targets.push_back(n);
  config.stop = Instant{Duration::seconds(30).ns};
  config.mean_interval = Duration::millis(200);
  config.max_down = 2;
  std::vector<FaultAction> all;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    NemesisPlan plan = plan_nemesis(config, c.size(), seed);
    all.insert(all.end(), plan.actions.begin(), plan.actions.end());
  }
  auto action = [](FaultAction::Kind kind) {
    FaultAction a;
    a.kind = kind;
    return a;
  };
  FaultAction restart = action(FaultAction::Kind::kRestart);
  restart.nodes = {1};
  FaultAction resume = action(FaultAction::Kind::kResume);
  resume.nodes = {0, 2};
  FaultAction heal_all = action(FaultAction::Kind::kHeal);
  FaultAction heal_named = action(FaultAction::Kind::kHeal);
  heal_named.name = "split";
  FaultAction named_cut = action(FaultAction::Kind::kPartition);
  named_cut.lasts = Duration::millis(1500);
  named_cut.groups = {{0, 1}, {2}};
  named_cut.name = "split";
  FaultAction named_window = action(FaultAction::Kind::kLinkLossy);
  named_window.from = {0};
  named_window.to = {1, 2};
  named_window.loss = 0.25;
  named_window.name = "flaky";
  all.insert(all.end(), {restart, resume, heal_all, heal_named, named_cut, named_window});
  return all;
}

TEST(FaultEvents, DescriptionsWriteWhatTheOldCodeWroteForEveryKind) {
  Cluster c = cluster(4);
  std::vector<FaultAction> actions = every_kind_of_action(c);
  std::set<FaultAction::Kind> kinds;
  for (const FaultAction& a : actions) {
    kinds.insert(a.kind);
    SCOPED_TRACE(a.to_json(c).dump());
    for (bool undo : {false, true}) {
      FaultDescription description{&a, &c, undo};
      PayloadRef d = PayloadRef::to(description);
      Json old = old_describe(a, c);
      if (undo) old["undo"] = true;
      EXPECT_EQ(d.fields().dump(), old.dump());
      // fault_skipped: the description, then the reason.
      Json skipped = old;
      skipped["reason"] = std::string_view("node is down");
      EXPECT_EQ(fields_of(fe::FaultSkipped{d, "node is down"}), skipped.dump());
    }
    FaultDescription description{&a, &c};
    PayloadRef d = PayloadRef::to(description);
    Json cut = old_describe(a, c);
    cut["cut"] = uint64_t{11};
    EXPECT_EQ(fields_of(fe::Partition{d, 11}), cut.dump());
    Json window = old_describe(a, c);
    window["window"] = uint64_t{12};
    EXPECT_EQ(fields_of(fe::LinkWindowStart{d, 12}), window.dump());
    EXPECT_EQ(fields_of(fe::DiskFaultStart{d, 12}), window.dump());
    Json stall = old_describe(a, c);
    stall["stall"] = uint64_t{13};
    EXPECT_EQ(fields_of(fe::StallStart{d, 13}), stall.dump());
  }
  EXPECT_EQ(kinds.size(), fault_action_names().size());  // every kind was compared
}

// What a checker is shown of the simulator's events.
class FaultLog final : public Checker {
 public:
  std::string_view name() const override { return "fault_log"; }
  void observe(const Observation& o, CheckerView&) override {
    if (o.from_protocol) return;
    seen.push_back(std::string(o.event));
    if (const auto* p = o.as<fe::Partition>()) {
      cuts.push_back(p->cut);
      partition_fields = o.fields().dump();
    }
    if (const auto* r = o.as<fe::Restart>()) incarnations.push_back(r->incarnation);
  }
  std::vector<std::string> seen;
  std::vector<uint64_t> cuts;
  std::vector<uint32_t> incarnations;
  std::string partition_fields;
};

TEST(FaultEvents, CheckersReadThemTypedAndTheTraceWritesTheirJson) {
  testing::ProbeLog log;
  SimulationConfig config;
  config.link_defaults = testing::constant_link(Duration::millis(10));
  config.limits.end = Instant{Duration::seconds(5).ns};
  auto sim = testing::make_probe_sim(3, log, config);
  auto checker = std::make_unique<FaultLog>();
  FaultLog* seen = checker.get();
  sim->add_checker(std::move(checker));
  std::vector<std::string> lines;
  std::string error;
  auto trace = TraceWriter::open("", uint64_t{1} << 30, error,
                                 [&](std::string_view line) { lines.emplace_back(line); });
  ASSERT_TRUE(trace) << error;
  sim->set_trace(trace.get());
  auto at = [](int64_t ms) { return Instant{Duration::millis(ms).ns}; };
  auto fault = [&](FaultAction::Kind kind, int64_t at_ms, int64_t for_ms) {
    FaultAction a;
    a.kind = kind;
    a.at = at(at_ms);
    a.lasts = Duration::millis(for_ms);
    return a;
  };
  std::vector<FaultAction> faults = {fault(FaultAction::Kind::kPartition, 100, 200),
                                     fault(FaultAction::Kind::kCrash, 150, 100),
                                     fault(FaultAction::Kind::kPause, 400, 50)};
  faults[0].groups = {{0}, {1, 2}};
  faults[0].name = "split";
  faults[1].nodes = {2};
  faults[2].nodes = {1};
  schedule_faults(*sim, faults);
  sim->run();
  EXPECT_EQ(seen->seen, (std::vector<std::string>{"partition", "crash", "restart", "heal", "pause",
                                                  "resume"}));
  EXPECT_EQ(seen->cuts, std::vector<uint64_t>{1});
  EXPECT_EQ(seen->incarnations, std::vector<uint32_t>{1});
  EXPECT_EQ(seen->partition_fields,
            R"({"action":"partition","groups":[["n0"],["n1","n2"]],"name":"split","for":"200ms","cut":1})");
  std::vector<std::string> fault_lines;
  for (const std::string& line : lines) {
    if (line.find("\"ev\":\"send\"") == std::string::npos &&
        line.find("\"ev\":\"deliver\"") == std::string::npos &&
        line.find("\"ev\":\"timer\"") == std::string::npos &&
        line.find("\"ev\":\"drop\"") == std::string::npos) {
      fault_lines.push_back(line);
    }
  }
  EXPECT_EQ(fault_lines, (std::vector<std::string>{
      R"({"t_ns":100000000,"ev":"partition","data":{"action":"partition","groups":[["n0"],["n1","n2"]],"name":"split","for":"200ms","cut":1}})" "\n",
      R"({"t_ns":150000000,"ev":"crash","node":"n2","data":{"unsynced_writes_lost":0}})" "\n",
      R"({"t_ns":250000000,"ev":"restart","node":"n2","data":{"incarnation":1}})" "\n",
      R"({"t_ns":300000000,"ev":"heal","data":{"cut":1,"cuts_healed":1}})" "\n",
      R"({"t_ns":400000000,"ev":"pause","node":"n1"})" "\n",
      R"({"t_ns":450000000,"ev":"resume","node":"n1","data":{"backlog":0}})" "\n",
  }));
}

}  // namespace
}  // namespace dsim
