// The typed protocol API (core/payload.h, core/message.h, core/process.h): a family's own
// structs travel as messages, are recorded as events and read back by checkers without
// JSON; timer kinds are the family's enum; disk records are the family's structs. JSON is
// made only for the trace, in the shape the trace has always had.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/durable_store.h"
#include "core/simulation.h"
#include "probe_process.h"
#include "trace/trace_writer.h"

namespace dsim {
namespace {

struct Ping {
  static constexpr std::string_view kName = "ping";
  int64_t seq = 0;
  std::string note;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["note"] = note;
  }
};
struct Tick {  // no fields: a message without body
  static constexpr std::string_view kName = "tick";
  void write_fields(Json&) const {}
};
struct Bulky {  // too big to be held inline: on the heap
  static constexpr std::string_view kName = "bulky";
  int64_t words[16] = {};
  void write_fields(Json& out) const { out["first"] = words[0]; }
};
struct Seen {
  static constexpr std::string_view kName = "seen";
  int64_t seq = 0;
  NodeId from = kNoNode;
  void write_fields(Json& out) const {
    out["seq"] = seq;
    out["from"] = from;
  }
};
struct Quiet {  // an event without fields: the trace line has no "data"
  static constexpr std::string_view kName = "quiet";
  void write_fields(Json&) const {}
};

enum class ProbeTimer : uint32_t { kSend = 3, kIdle = 7 };
std::string_view timer_name(ProbeTimer k) {
  return k == ProbeTimer::kSend ? "send" : "idle";
}

static_assert(PayloadType<Ping> && PayloadType<Tick> && !PayloadType<int>);
// A name made at run time is refused by the concept itself (its kind is made from it at
// compile time).
struct NamedAtRunTime {
  static inline const std::string kName = "named_at_run_time";
  void write_fields(Json&) const {}
};
struct NameNotConstant {
  static inline std::string_view kName = "name_not_constant";
  void write_fields(Json&) const {}
};
static_assert(!PayloadType<NamedAtRunTime> && !PayloadType<NameNotConstant>);
// Typed is the only way: no message from a name and a JSON body, no JSON disk record.
static_assert(!std::is_constructible_v<Message, std::string, Json>);
static_assert(!std::is_constructible_v<Message, const char*>);
template <typename Store>
concept TakesJsonRecords = requires(Store& s, Json j) { s.put("k", j); } ||
                           requires(Store& s, Json j) { s.append("wal", j); };
static_assert(!TakesJsonRecords<DurableStore>);

TEST(Payload, HoldsSmallValuesInlineAndBigOnesOnTheHeap) {
  Payload small(Ping{7, "hello"});
  EXPECT_EQ(small.heap_bytes(), 0u);
  EXPECT_TRUE(small.kind()->inline_storage);
  Payload big(Bulky{});
  EXPECT_EQ(big.heap_bytes(), sizeof(Bulky));
  EXPECT_FALSE(big.kind()->inline_storage);
}

TEST(Payload, CopiesAndMovesKeepTheValue) {
  Payload a(Ping{1, "a string long enough to live on the heap, not in SSO"});
  Payload b = a;
  Payload c = std::move(a);
  ASSERT_NE(b.as<Ping>(), nullptr);
  ASSERT_NE(c.as<Ping>(), nullptr);
  EXPECT_EQ(b.as<Ping>()->note, c.as<Ping>()->note);
  Bulky bulky;
  bulky.words[0] = 42;
  Payload d(bulky);
  Payload e = d;
  d = Payload(Tick{});
  ASSERT_NE(e.as<Bulky>(), nullptr);
  EXPECT_EQ(e.as<Bulky>()->words[0], 42);
  EXPECT_TRUE(d.is<Tick>());
  e = d;
  EXPECT_TRUE(e.is<Tick>());
}

TEST(Payload, AsIsTheExactTypeOrNothing) {
  Message m(Ping{5, "x"});
  EXPECT_TRUE(m.is<Ping>());
  EXPECT_EQ(m.as<Tick>(), nullptr);
  EXPECT_EQ(m.as<Ping>()->seq, 5);
  EXPECT_EQ(m.type(), "ping");
  EXPECT_TRUE(m.has_fields());
  EXPECT_EQ(m.fields().dump(), R"({"seq":5,"note":"x"})");
  EXPECT_FALSE(Message(Tick{}).has_fields());
}

// A process that sends typed messages and sets typed timers, and a checker that reads the
// typed events it records.
struct Log {
  std::vector<int64_t> pings_seen;
  int ticks_seen = 0;
  int bulky_seen = 0;
  std::vector<std::string> timers;
  std::vector<int64_t> observed_seqs;  // by the checker, from typed events
  int observed_quiet = 0;
};

class TypedProbe final : public Process {
 public:
  explicit TypedProbe(Log* log) : log_(log) {}
  void on_start(Context& ctx) override {
    if (ctx.self() == 0) {
      ctx.set_timer(Duration::millis(1), ProbeTimer::kSend, 11);
      ctx.set_timer(Duration::millis(2), ProbeTimer::kIdle, 12);
    }
  }
  void on_message(Context& ctx, NodeId from, const Message& m) override {
    if (const auto* p = m.as<Ping>()) {
      log_->pings_seen.push_back(p->seq);
      ctx.trace(Seen{p->seq, from});
    } else if (m.is<Tick>()) {
      ++log_->ticks_seen;
      ctx.trace(Quiet{});
    } else if (const auto* b = m.as<Bulky>()) {
      log_->bulky_seen += static_cast<int>(b->words[15]);
    }
  }
  void on_timer(Context& ctx, const Timer& t) override {
    log_->timers.push_back(std::string(t.kind) + "/" + std::to_string(t.arg));
    if (t.is(ProbeTimer::kSend)) {
      EXPECT_EQ(t.kind_as<ProbeTimer>(), ProbeTimer::kSend);
      ctx.send(1, Ping{t.arg, "first"});
      ctx.send(1, Tick{});
      ctx.send(1, Tick{});
      Bulky b;
      b.words[15] = 1;
      ctx.send(1, b);
    } else {
      EXPECT_EQ(t.kind_as<ProbeTimer>(), ProbeTimer::kIdle);
      EXPECT_FALSE(t.is(ProbeTimer::kSend));
    }
  }

 private:
  Log* log_;
};

class TypedChecker final : public Checker {
 public:
  explicit TypedChecker(Log* log) : log_(log) {}
  std::string_view name() const override { return "typed_probe"; }
  void observe(const Observation& o, CheckerView&) override {
    if (const auto* s = o.as<Seen>()) {
      log_->observed_seqs.push_back(s->seq);
      EXPECT_EQ(o.event, "seen");
      EXPECT_EQ(s->from, 0u);
    } else if (o.as<Quiet>() != nullptr) {
      ++log_->observed_quiet;
    }
  }

 private:
  Log* log_;
};

// The tests' run: two probes, 10 ms links, one second; the Simulation keeps `log`.
std::unique_ptr<Simulation> two_probes(Log& log) {
  SimulationConfig config;
  config.link_defaults = testing::constant_link(Duration::millis(10));
  config.limits.end = Instant{Duration::seconds(1).ns};
  Cluster cluster;
  cluster.add("n0", "probe");
  cluster.add("n1", "probe");
  return std::make_unique<Simulation>(cluster, config,
                                      [&log](NodeId) { return std::make_unique<TypedProbe>(&log); });
}

std::vector<Json> run_typed(Log& log, bool with_trace) {
  std::unique_ptr<Simulation> run = two_probes(log);
  Simulation& sim = *run;
  sim.add_checker(std::make_unique<TypedChecker>(&log));
  std::vector<Json> lines;
  std::unique_ptr<TraceWriter> trace;
  if (with_trace) {
    std::string error;
    trace = TraceWriter::open("", uint64_t{1} << 20, error, [&](std::string_view line) {
      lines.push_back(Json::parse(line));
    });
    sim.set_trace(trace.get());
  }
  RunResult r = sim.run();
  EXPECT_TRUE(r.violations.empty());
  return lines;
}

TEST(TypedApi, MessagesEventsAndTimersRunWithoutATrace) {
  Log log;
  run_typed(log, /*with_trace=*/false);
  EXPECT_EQ(log.pings_seen, std::vector<int64_t>{11});
  EXPECT_EQ(log.ticks_seen, 2);
  EXPECT_EQ(log.bulky_seen, 1);
  EXPECT_EQ(log.timers, (std::vector<std::string>{"send/11", "idle/12"}));
  EXPECT_EQ(log.observed_seqs, std::vector<int64_t>{11});
  EXPECT_EQ(log.observed_quiet, 2);
}

TEST(TypedApi, TheTraceShowsTypedValuesAsJson) {
  Log log;
  std::vector<Json> lines = run_typed(log, /*with_trace=*/true);
  std::vector<std::string> sends, protos, timers;
  for (const Json& l : lines) {
    if (l["ev"] == "send") sends.push_back(l.dump());
    if (l["ev"] == "proto") protos.push_back(l.dump());
    if (l["ev"] == "timer") timers.push_back(l["kind"].get<std::string>());
  }
  ASSERT_EQ(sends.size(), 4u);
  EXPECT_EQ(sends[0],
            R"({"t_ns":1000000,"ev":"send","from":"n0","to":"n1","id":1,"msg":"ping",)"
            R"("body":{"seq":11,"note":"first"}})");
  // A message without fields shows no body.
  EXPECT_EQ(sends[1], R"({"t_ns":1000000,"ev":"send","from":"n0","to":"n1","id":2,"msg":"tick"})");
  EXPECT_EQ(sends[3],
            R"({"t_ns":1000000,"ev":"send","from":"n0","to":"n1","id":4,"msg":"bulky",)"
            R"("body":{"first":0}})");
  ASSERT_EQ(protos.size(), 3u);
  EXPECT_EQ(protos[0],
            R"({"t_ns":11000000,"ev":"proto","name":"seen","node":"n1","data":{"seq":11,"from":0}})");
  EXPECT_EQ(protos[1], R"({"t_ns":11000000,"ev":"proto","name":"quiet","node":"n1"})");
  EXPECT_EQ(timers, (std::vector<std::string>{"send", "idle"}));
  // The checker saw the same typed events with the trace on.
  EXPECT_EQ(log.observed_seqs, std::vector<int64_t>{11});
}

struct Prepared {  // a typed disk record
  static constexpr std::string_view kName = "prepared";
  int64_t tx = 0;
  void write_fields(Json& out) const { out["tx"] = tx; }
};

TEST(TypedRecords, SurviveASyncAndAreLostWithoutOne) {
  DurableStore s;
  s.append("wal", Prepared{1});
  s.put("state", Prepared{1});
  s.sync();
  s.append("wal", Prepared{2});
  s.append("wal", Prepared{3});
  ASSERT_EQ(s.read_records("wal").size(), 3u);  // the process reads its own writes
  EXPECT_EQ(s.read_records("wal")[1].as<Prepared>()->tx, 2);
  EXPECT_EQ(s.read_records("wal").back().fields().dump(), R"({"tx":3})");  // for tools
  EXPECT_EQ(s.crash(/*keep_unsynced=*/1), 1u);
  RecordLog wal = s.read_records("wal");
  ASSERT_EQ(wal.size(), 2u);
  std::vector<int64_t> txs;
  for (const Payload& r : wal) txs.push_back(r.as<Prepared>()->tx);
  EXPECT_EQ(txs, (std::vector<int64_t>{1, 2}));
  ASSERT_NE(s.get_record("state"), nullptr);
  EXPECT_EQ(s.get_record("state")->as<Prepared>()->tx, 1);
  EXPECT_EQ(s.get_record("missing"), nullptr);
  EXPECT_TRUE(s.read_records("no such log").empty());
}

// A checker that names its event kinds is shown only those; one that names none, every
// event; each event goes to its checkers in the order they were added.
class KindLog final : public Checker {
 public:
  KindLog(std::string tag, std::vector<const PayloadKind*> kinds, std::vector<std::string>* seen)
      : tag_(std::move(tag)), kinds_(std::move(kinds)), seen_(seen) {}
  std::string_view name() const override { return tag_; }
  std::vector<const PayloadKind*> event_kinds() const override { return kinds_; }
  void observe(const Observation& o, CheckerView&) override {
    seen_->push_back(tag_ + ":" + std::string(o.event) + "/" + std::to_string(o.seq));
  }

 private:
  std::string tag_;
  std::vector<const PayloadKind*> kinds_;
  std::vector<std::string>* seen_;
};

TEST(TypedApi, CheckersAreShownOnlyTheEventKindsTheyName) {
  Log log;
  std::unique_ptr<Simulation> run = two_probes(log);
  Simulation& sim = *run;
  std::vector<std::string> seen;
  sim.add_checker(std::make_unique<KindLog>("quiet", kinds_of<Quiet>(), &seen));
  sim.add_checker(std::make_unique<KindLog>("all", std::vector<const PayloadKind*>{}, &seen));
  sim.add_checker(std::make_unique<KindLog>("both", kinds_of<Seen, Quiet>(), &seen));
  sim.add_checker(std::make_unique<KindLog>("seen", kinds_of<Seen>(), &seen));
  RunResult r = sim.run();
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"all:seen/0", "both:seen/0", "seen:seen/0",
                                             "quiet:quiet/1", "all:quiet/1", "both:quiet/1",
                                             "quiet:quiet/2", "all:quiet/2", "both:quiet/2"}));
}

// An event of a kind no checker named is skipped without being built into an
// Observation, but still numbered: seq counts every event of the run.
TEST(TypedApi, EventsNoCheckerNamedStillTakeTheirNumber) {
  Log log;
  std::unique_ptr<Simulation> run = two_probes(log);
  Simulation& sim = *run;
  std::vector<std::string> seen;
  sim.add_checker(std::make_unique<KindLog>("quiet", kinds_of<Quiet>(), &seen));
  RunResult r = sim.run();
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(seen, (std::vector<std::string>{"quiet:quiet/1", "quiet:quiet/2"}));
}

}  // namespace
}  // namespace dsim
