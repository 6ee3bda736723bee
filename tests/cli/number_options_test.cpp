// Numeric command-line options: one checked parser for all of them. Negative values, values
// past the documented maximum, ranges whose size overflows and seeds above what a scenario
// accepts are refused with exit code 2 before anything runs.
#include <gtest/gtest.h>

#include "cli/number_option.h"
#include "cli_test_util.h"

namespace dsim::testing {
namespace {

using cli::parse_real_list_option;
using cli::parse_unsigned_list_option;
using cli::parse_unsigned_option;
using cli::UsageError;

TEST(NumberOption, TakesWholeDecimalNumbersInRange) {
  EXPECT_EQ(parse_unsigned_option("--n", "0", 0, 10), 0u);
  EXPECT_EQ(parse_unsigned_option("--n", "10", 0, 10), 10u);
  EXPECT_EQ(parse_unsigned_option("--seed", "9223372036854775807", 0, cli::kMaxSeed),
            9223372036854775807u);
  EXPECT_EQ(parse_unsigned_list_option("--nodes", "2,100,7", 2, 100),
            (std::vector<uint64_t>{2, 100, 7}));
  EXPECT_EQ(parse_real_list_option("--epsilon", "0.25,1e-3", 0, 1),
            (std::vector<double>{0.25, 1e-3}));
}

TEST(NumberOption, RefusesSignsWrapsSuffixesAndOutOfRange) {
  for (const char* bad : {"-1", "+1", " 7", "7 ", "1e3", "0x10", "", "seven", "3.0",
                          "18446744073709551616", "11"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(parse_unsigned_option("--n", bad, 0, 10), UsageError);
  }
  EXPECT_THROW(parse_unsigned_option("--n", "0", 1, 10), UsageError);
  EXPECT_THROW(parse_unsigned_option("--seed", "9223372036854775808", 0, cli::kMaxSeed), UsageError);
  for (const char* bad : {"nan", "inf", "-0.5", "2", "0x1p3", ""}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(cli::parse_real_option("--e", bad, 0, 1), UsageError);
  }
  EXPECT_THROW(parse_unsigned_list_option("--nodes", "2,,3", 0, 10), UsageError);
  EXPECT_THROW(parse_unsigned_list_option("--nodes", "2,-3", 0, 10), UsageError);
}

TEST(NumberOption, MessageNamesTheOptionTheValueAndTheRange) {
  try {
    parse_unsigned_option("--jobs", "-1", 1, 1024);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("--jobs"), std::string::npos) << m;
    EXPECT_NE(m.find("\"-1\""), std::string::npos) << m;
    EXPECT_NE(m.find("1 to 1024"), std::string::npos) << m;
  }
}

// Every numeric option of every command, given a value that used to wrap or slip through.
TEST(NumberOption, EveryCommandRefusesBadNumbersWithExitTwo) {
  const std::string s = std::string(DSIM_SOURCE_DIR) + "/scenarios/default.json";
  const std::pair<std::string, std::string> cases[] = {
      {"run " + s + " --seed -1", "--seed"},
      {"run " + s + " --seed=-1", "--seed"},
      {"run " + s + " --seed 9223372036854775808", "--seed"},
      {"run " + s + " --seed 1e3", "--seed"},
      {"sweep " + s + " --seeds 0..18446744073709551615", "--seeds"},
      {"sweep " + s + " --seeds 9223372036854775807..9223372036854775808", "--seeds"},
      {"sweep " + s + " --seeds 5..3", "--seeds"},
      {"sweep " + s + " --seeds 1..2 --jobs 0", "--jobs"},
      {"sweep " + s + " --seeds 1..2 --jobs -1", "--jobs"},
      {"sweep " + s + " --seeds 1..2 --jobs 1025", "--jobs"},
      {"sweep " + s + " --seeds 1..2 --fail-fast -1", "--fail-fast"},
      {"sweep " + s + " --seeds 1..2 --shard -1/2", "--shard"},
      {"shrink " + s + " --seed -1 --out x.json", "--seed"},
      {"shrink " + s + " --seed 1 --max-runs -1 --out x.json", "--max-runs"},
      {"check-determinism " + s + " --seed -1", "--seed"},
      {"ring-stats --random-events -1", "--random-events"},
      {"ring-stats --keys -1", "--keys"},
      {"ring-stats --keys 20000001", "--keys"},
      {"ring-stats --keys-per-node 1000000 --nodes 100", "--keys-per-node"},
      {"ring-stats --replicas 0", "--replicas"},
      {"ring-stats --replicas 17", "--replicas"},
      {"ring-stats --nodes 10,-5", "--nodes"},
      {"ring-stats --epsilon nan", "--epsilon"},
      {"ring-stats --seed -1", "--seed"},
      {"ring-stats --weights 1,-2 --algorithm rendezvous", "--weights"},
  };
  fs::path dir = fresh_dir("numbers");
  for (const auto& [args, option] : cases) {
    SCOPED_TRACE(args);
    CliResult r = run_dsim(args, dir);
    EXPECT_EQ(r.exit, 2) << r.stderr_text;
    // The message names the option that was refused.
    EXPECT_NE(r.stderr_text.find(option), std::string::npos) << r.stderr_text;
  }
  EXPECT_TRUE(fs::is_empty(dir)) << "a refused command wrote " << fs::directory_iterator(dir)->path();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dsim::testing
