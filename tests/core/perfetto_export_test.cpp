#include "trace/perfetto_export.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dsim {
namespace {

const char* kHeader =
    R"({"ev":"header","format":"dsim-trace","scenario":"t","seed":3,"nodes":[{"name":"a"},{"name":"b"}]})";

// Feeds the lines to an exporter and returns the parsed Trace Event list.
Json convert(const std::vector<std::string>& lines) {
  std::string out;
  PerfettoExporter exporter([&out](std::string_view s) { out.append(s); });
  std::string error;
  for (const std::string& line : lines) EXPECT_TRUE(exporter.consume(line, error)) << error;
  exporter.finish();
  Json doc = Json::parse(out);
  EXPECT_EQ(doc["otherData"]["seed"], 3);
  return doc["traceEvents"];
}

std::vector<Json> with_phase(const Json& events, const std::string& ph) {
  std::vector<Json> out;
  for (const Json& e : events) {
    if (e["ph"] == ph) out.push_back(e);
  }
  return out;
}

TEST(PerfettoExport, NamesOneTrackPerNode) {
  Json events = convert({kHeader});
  std::vector<std::string> names;
  for (const Json& m : with_phase(events, "M")) {
    if (m["name"] == "thread_name") names.push_back(m["args"]["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"cluster (partitions, link windows)", "a", "b"}));
}

TEST(PerfettoExport, MessagesBecomeFlowsBoundToSlices) {
  Json events = convert(
      {kHeader, R"({"t_ns":1000,"ev":"send","from":"a","to":"b","id":7,"msg":"ping"})",
       R"({"t_ns":1500,"ev":"send","from":"a","to":"b","id":8,"msg":"ping"})",
       R"({"t_ns":1500,"ev":"drop","from":"a","to":"b","id":8,"msg":"ping","reason":"loss"})",
       R"({"t_ns":2500,"ev":"deliver","from":"a","to":"b","id":7,"msg":"ping"})"});
  std::vector<Json> starts = with_phase(events, "s"), finishes = with_phase(events, "f");
  ASSERT_EQ(starts.size(), 1u);  // the lost message has no arrow
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ(starts[0]["id"], finishes[0]["id"]);
  EXPECT_DOUBLE_EQ(starts[0]["ts"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(finishes[0]["ts"].get<double>(), 2.5);
  EXPECT_EQ(finishes[0]["bp"], "e");
  EXPECT_NE(starts[0]["tid"], finishes[0]["tid"]);
  int drops = 0;
  for (const Json& x : with_phase(events, "X")) drops += x["cat"] == "drop";
  EXPECT_EQ(drops, 1);
}

TEST(PerfettoExport, DuplicatesAreTwoArrowsAndOpenOnesCloseAtTheEnd) {
  Json events =
      convert({kHeader, R"({"t_ns":0,"ev":"send","from":"a","to":"b","id":1,"msg":"m"})",
               R"({"t_ns":0,"ev":"duplicate","from":"a","to":"b","id":1,"msg":"m"})",
               R"({"t_ns":900,"ev":"deliver","from":"a","to":"b","id":1,"msg":"m"})",
               R"({"ev":"summary","t_ns":5000,"verdict":"pass","stopped_by":"end_of_duration"})"});
  std::vector<Json> starts = with_phase(events, "s"), finishes = with_phase(events, "f");
  ASSERT_EQ(starts.size(), 2u);
  ASSERT_EQ(finishes.size(), 2u);
  EXPECT_NE(starts[0]["id"], starts[1]["id"]);
  EXPECT_DOUBLE_EQ(finishes[1]["ts"].get<double>(), 5.0);  // the second copy never arrived
}

TEST(PerfettoExport, CrashEndsAPauseAndSlicesAlwaysClose) {
  Json events = convert({kHeader, R"({"t_ns":10,"ev":"pause","node":"a"})",
                         R"({"t_ns":20,"ev":"crash","node":"a"})",
                         R"({"t_ns":30,"ev":"partition","data":{"groups":[["a"]],"cut":4}})"});
  std::vector<std::string> node_slices;
  for (const Json& e : events) {
    if (e["ph"] == "B" || e["ph"] == "E")
      node_slices.push_back(e["ph"].get<std::string>() + e["name"].get<std::string>());
  }
  EXPECT_EQ(node_slices, (std::vector<std::string>{"Bpaused", "Epaused", "Bcrashed", "Ecrashed"}));
  ASSERT_EQ(with_phase(events, "b").size(), 1u);
  EXPECT_EQ(with_phase(events, "e").size(), 1u);
  EXPECT_EQ(with_phase(events, "b")[0]["name"], "partition a | rest");
}

TEST(PerfettoExport, RejectsWhatIsNotADsimTrace) {
  std::string out, error;
  PerfettoExporter exporter([&out](std::string_view s) { out.append(s); });
  EXPECT_FALSE(exporter.consume(R"({"ev":"send"})", error));
  EXPECT_NE(error.find("not a dsim trace"), std::string::npos);
  PerfettoExporter second([&out](std::string_view s) { out.append(s); });
  EXPECT_FALSE(second.consume("{oops", error));
}

}  // namespace
}  // namespace dsim
