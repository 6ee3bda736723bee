// Traces stay the same: the SHA-256 of every shipped scenario's trace, at its own seed and
// at seed 1000, is pinned in tests/core/trace_hashes.json. A change to the simulator that
// changes any trace fails here; when the change is intended, regenerate the file with
//   DSIM_UPDATE_TRACE_HASHES=1 build/tests/core/core_tests --gtest_filter='TraceHashes.*'
// and say in the commit which traces changed and why.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "protocols/registry.h"
#include "protocols/ring/placement/sha256.h"
#include "runner/run_scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

constexpr uint64_t kOtherSeed = 1000;

// Relative to the source folder (the tests' working folder), as the trace's header names it.
std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator("scenarios")) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && e.path().extension() == ".json" &&
        name.find(".schema.") == std::string::npos) {
      out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string hex(const ring::Sha256Digest& d) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string trace_hash(const std::string& file, std::optional<uint64_t> seed) {
  ScenarioLoader loader(protocol_families());
  Scenario s = loader.load_file(file, {}, seed);
  const fs::path trace = fs::temp_directory_path() /
                         ("dsim_trace_hash_" + std::to_string(::getpid()) + ".jsonl");
  RunOptions o;
  o.trace_path = trace.string();
  RunReport r = run_scenario(s, o);
  EXPECT_TRUE(r.io_error.empty()) << r.io_error;
  const std::string text = read_all(trace);
  fs::remove(trace);
  return hex(ring::sha256(text));
}

// {"own_seed": HASH, "seed_1000": HASH}
Json json_object_of_hashes(const std::string& file) {
  Json j = Json::object();
  j["own_seed"] = trace_hash(file, std::nullopt);
  j["seed_" + std::to_string(kOtherSeed)] = trace_hash(file, kOtherSeed);
  return j;
}

TEST(TraceHashes, EveryShippedScenarioTracesAsPinned) {
  Json now = Json::object();
  for (const std::string& file : shipped_scenarios()) {
    now[file] = json_object_of_hashes(file);
  }
  const fs::path pinned_path = fs::path("tests") / "core" / "trace_hashes.json";
  if (std::getenv("DSIM_UPDATE_TRACE_HASHES") != nullptr) {
    std::ofstream(pinned_path) << now.dump(2) << "\n";
    GTEST_SKIP() << "wrote " << pinned_path;
  }
  Json pinned = Json::parse(read_all(pinned_path));
  for (const auto& [file, hashes] : now.items()) {
    SCOPED_TRACE(file);
    ASSERT_TRUE(pinned.contains(file)) << "no pinned hashes: regenerate (see the file's top)";
    EXPECT_EQ(hashes, pinned[file]) << "this scenario's trace changed";
  }
  for (const auto& [file, hashes] : pinned.items()) {
    EXPECT_TRUE(now.contains(file)) << file << " is pinned but no longer shipped";
  }
}

}  // namespace
}  // namespace dsim
