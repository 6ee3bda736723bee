// Nodes from a file (issue 16): the one "name [weight]" parser, and a ring scenario's
// protocol.nodes_file (relative to the scenario file; a bad file is a ScenarioError naming
// the scenario, the JSON path and the file's line, exit 2 from `dsim run`).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocols/registry.h"
#include "protocols/ring/placement/nodes_list.h"
#include "runner/run_scenario.h"
#include "scenario/scenario_error.h"

namespace dsim::ring {
namespace {

namespace fs = std::filesystem;

TEST(NodesList, ParsesNamesWeightsCommentsAndBlankLines) {
  const std::vector<Member> m = parse_nodes_list("# servers\n10.0.1.1:11211 600\n\n  b\r\nc 0.5\n", "n.txt");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].name, "10.0.1.1:11211");
  EXPECT_EQ(m[0].weight, 600.0);
  EXPECT_EQ(m[1].name, "b");
  EXPECT_EQ(m[1].weight, 1.0);
  EXPECT_EQ(m[2].tag, 2u);
  EXPECT_EQ(m[2].weight, 0.5);
}

TEST(NodesList, NamesTheLineOfABadEntry) {
  struct Case {
    std::string text, message;
  };
  for (const Case& c : {Case{"a\nb 1 2\n", "n.txt:2: expected \"name [weight]\""},
                        Case{"a\n\nb x\n", "n.txt:3: weight: expected a positive number"},
                        Case{"a 0\n", "n.txt:1: weight"},
                        Case{"a -2\n", "n.txt:1: weight"},
                        Case{"a\na 2\n", "n.txt:2: node \"a\" is listed twice"}}) {
    try {
      parse_nodes_list(c.text, "n.txt");
      ADD_FAILURE() << "accepted " << c.text;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(c.message), std::string::npos) << e.what();
    }
  }
}

class RingScenarioNodesFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ring_nodes_file_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The rebalance scenario with `changes` under "protocol" (null: the key removed), written
  // next to `nodes`.
  fs::path scenario(const std::string& nodes, const Json& changes) {
    std::ifstream in(std::string(DSIM_SOURCE_DIR) + "/scenarios/ring/rebalance.json");
    Json doc = Json::parse(in);
    for (const auto& [k, v] : changes.items()) {
      if (v.is_null()) {
        doc["protocol"].erase(k);  // a setting the changed variant does not have
      } else {
        doc["protocol"][k] = v;
      }
    }
    std::ofstream(dir_ / "nodes.txt") << nodes;
    std::ofstream(dir_ / "scenario.json") << doc.dump(2);
    return dir_ / "scenario.json";
  }
  static Scenario load(const fs::path& file) {
    ScenarioLoader loader(protocol_families());
    return loader.load_file(file.string(), {}, std::nullopt);
  }
  std::string error_of(const fs::path& file) {
    try {
      load(file);
    } catch (const ScenarioError& e) {
      return e.what();
    }
    return "(no error)";
  }
  fs::path dir_;
};

// Seven stores placed as weighted ketama servers: the run serves every operation and the
// load_balance check measures each store against its weighted fair share.
TEST_F(RingScenarioNodesFile, PlacesStoresByTheFilesNamesAndWeights) {
  const fs::path file = scenario("10.0.1.1:11211 600\n10.0.1.2:11211 300\n10.0.1.3:11211 200\n10.0.1.4:11211 350\n"
                                 "10.0.1.5:11211 1000\n10.0.1.6:11211 800\n10.0.1.7:11211 950\n",
                                 // ketama has no vnodes setting (160 points per server, by weight).
                                 Json{{"variant", "ketama"}, {"nodes_file", "nodes.txt"}, {"vnodes", nullptr}});
  RunReport report = run_scenario(load(file), RunOptions{});
  const Json& m = report.summary["metrics"];
  EXPECT_EQ(m["fresh_reads"]["stale_reads"], 0);
  EXPECT_GT(m["availability"]["availability"].get<double>(), 0.95);
  EXPECT_EQ(report.summary["violations"].size(), 0u) << report.summary.dump(2);
}

TEST_F(RingScenarioNodesFile, BadFilesAreErrorsNamingTheScenarioPathAndLine) {
  struct Case {
    std::string nodes;
    Json changes;
    std::string message;
  };
  const std::string seven = "a\nb\nc\nd\ne\nf\ng\n";
  for (const Case& c : {Case{"a\nb 1 2\nc\nd\ne\nf\ng\n", Json{{"nodes_file", "nodes.txt"}}, "nodes.txt:2: expected"},
                        Case{"a\nb\n", Json{{"nodes_file", "nodes.txt"}}, "per store node (7), found 2"},
                        Case{seven, Json{{"nodes_file", "missing.txt"}}, "cannot read"},
                        Case{"a\nb 2\nc\nd\ne\nf\ng\n", Json{{"variant", "groupcache"}, {"nodes_file", "nodes.txt"}},
                             "variant \"groupcache\" has no weights"}}) {
    const fs::path file = scenario(c.nodes, c.changes);
    const std::string e = error_of(file);
    EXPECT_NE(e.find(file.string()), std::string::npos) << e;
    EXPECT_NE(e.find("$.protocol.nodes_file"), std::string::npos) << e;
    EXPECT_NE(e.find(c.message), std::string::npos) << e;
  }
  const fs::path bad = scenario("a\nb x\n", Json{{"nodes_file", "nodes.txt"}});
  const std::string command = std::string(DSIM_BINARY) + " run " + bad.string() + " -q > /dev/null 2> " +
                              (dir_ / "err.txt").string();
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 2);
  std::stringstream err;
  err << std::ifstream(dir_ / "err.txt").rdbuf();
  EXPECT_NE(err.str().find("nodes.txt:2: weight"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace dsim::ring
