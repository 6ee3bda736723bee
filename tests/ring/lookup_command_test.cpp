// `dsim ring lookup` from the outside: its lines agree with the placement library for a
// weighted nodes file (the ketama.servers of libketama's test), raw 64-bit keys reach jump
// unhashed, and bad input exits 2 with a message naming the file and line and no output.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.h"
#include "protocols/ring/placement/placement.h"

namespace dsim::ring {
namespace {

namespace fs = std::filesystem;

struct Result {
  int exit = -1;
  std::string out, err;
};

Result run(const std::string& args, const fs::path& dir) {
  const fs::path out = dir / "out.txt", err = dir / "err.txt";
  const std::string command =
      std::string(DSIM_BINARY) + " ring lookup " + args + " > " + out.string() + " 2> " + err.string();
  Result r;
  r.exit = WEXITSTATUS(std::system(command.c_str()));
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

class RingLookupCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ring_lookup_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST_F(RingLookupCommand, AgreesWithThePlacementLibrary) {
  const fs::path nodes = write("nodes.txt",
                               "# ketama.servers of libketama's test\n10.0.1.1:11211 600\n10.0.1.2:11211 300\n"
                               "10.0.1.3:11211 200\n10.0.1.4:11211 350\n10.0.1.5:11211 1000\n10.0.1.6:11211 800\n"
                               "10.0.1.7:11211 950\n10.0.1.8:11211 100\n");
  const fs::path keys = write("keys.txt", "0\n1\nuser:42\n#not-a-comment\n999999\n");
  const Result r = run("--algorithm ketama --nodes-file " + nodes.string() + " --keys-file " + keys.string() +
                           " --replicas 3",
                       dir_);
  ASSERT_EQ(r.exit, 0) << r.err;

  PlacementOptions o;
  o.algorithm = "ketama";
  auto p = make_placement(o);
  const std::vector<std::string> names = {"10.0.1.1:11211", "10.0.1.2:11211", "10.0.1.3:11211", "10.0.1.4:11211",
                                          "10.0.1.5:11211", "10.0.1.6:11211", "10.0.1.7:11211", "10.0.1.8:11211"};
  const std::vector<double> weights = {600, 300, 200, 350, 1000, 800, 950, 100};
  std::vector<Member> members;
  for (size_t i = 0; i < names.size(); ++i) members.push_back(Member{static_cast<NodeTag>(i), names[i], weights[i]});
  p->add_all(members);

  std::istringstream lines(r.out);
  std::string line;
  size_t n = 0;
  std::vector<NodeTag> list;
  for (const std::string key : {"0", "1", "user:42", "#not-a-comment", "999999"}) {
    ASSERT_TRUE(std::getline(lines, line)) << "missing the line of " << key;
    const Json j = Json::parse(line);
    EXPECT_EQ(j["key"], key);
    p->preference_list(p->hash_key(key), 3, list);
    EXPECT_EQ(j["owner"], names[list[0]]) << key;
    ASSERT_EQ(j["replicas"].size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(j["replicas"][i], names[list[i]]) << key;
    ++n;
  }
  EXPECT_EQ(n, 5u);
  EXPECT_FALSE(std::getline(lines, line));
}

TEST_F(RingLookupCommand, RawKeysGoToJumpUnhashed) {
  const Result r = run("--algorithm jump --node-names a,b,c,d,e,f,g,h,i,j --keys 0,1,18446744073709551615 --u64-keys",
                       dir_);
  ASSERT_EQ(r.exit, 0) << r.err;
  PlacementOptions o;
  o.algorithm = "jump";
  auto p = make_placement(o);
  std::vector<Member> members;
  for (int i = 0; i < 10; ++i) members.push_back(Member{static_cast<NodeTag>(i), std::string(1, 'a' + i), 1.0});
  p->add_all(members);
  std::istringstream lines(r.out);
  std::string line;
  for (uint64_t key : {uint64_t{0}, uint64_t{1}, UINT64_MAX}) {
    ASSERT_TRUE(std::getline(lines, line));
    const Json j = Json::parse(line);
    EXPECT_EQ(j["key"].get<uint64_t>(), key);
    EXPECT_EQ(j["owner"], std::string(1, 'a' + p->owner(key)));
  }
}

TEST_F(RingLookupCommand, BadInputExitsTwoAndPrintsNothing) {
  const fs::path bad = write("bad.txt", "a 1\nb 1 2\n");
  const fs::path weighted = write("weighted.txt", "a 1\nb 2\n");
  struct Case {
    std::string args, message;
  };
  for (const Case& c : {Case{"--nodes-file " + bad.string() + " --keys x", "bad.txt:2: expected \"name [weight]\""},
                        Case{"--node-names a,b --keys x --u64-keys", "--u64-keys: key: expected a whole number"},
                        Case{"--algorithm groupcache --nodes-file " + weighted.string() + " --keys x",
                             "groupcache has no weights, but node \"b\" has one"},
                        Case{"--node-names a,a --keys x", "node \"a\" is listed twice"},
                        Case{"--node-names a --keys x --replicas 0", "--replicas: \"0\""},
                        Case{"--node-names a --keys x --table-size 65536", "table_size 65536"},
                        Case{"--algorithm nope --node-names a --keys x", "unknown algorithm \"nope\""},
                        Case{"--keys x", "exactly one of --nodes-file"}}) {
    const Result r = run(c.args, dir_);
    EXPECT_EQ(r.exit, 2) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace dsim::ring
