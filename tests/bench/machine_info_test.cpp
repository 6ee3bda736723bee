// The benchmark's record of the machine: /proc/cpuinfo's tab-padded keys, sysfs cache
// sizes, and the printed line, read from files made here.
#include "bench/machine_info.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace dsim::bench {
namespace {

// A file of `text` under the test's temporary folder, removed at the end of the test.
class TextFile {
 public:
  explicit TextFile(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("dsim_machine_info_test_" + std::to_string(getpid()) + "_" + std::to_string(next_++))) {
    std::ofstream(path_) << text;
  }
  ~TextFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int next_ = 0;
  std::filesystem::path path_;
};

const char* const kCpuinfo =
    "processor\t: 0\n"
    "vendor_id\t: AuthenticAMD\n"
    "cpu family\t: 23\n"
    "model\t\t: 1\n"
    "model name\t: AMD EPYC\n"
    "power management:\n"
    "flags\t\t: fpu sse2 hypervisor avx2\n"
    "\n"
    "processor\t: 1\n"
    "model\t\t: 7\n";

TEST(MachineInfo, ReadsTabPaddedKeysExactly) {
  TextFile cpuinfo(kCpuinfo);
  EXPECT_EQ(first_line_of(cpuinfo.path(), "cpu family"), "23");
  EXPECT_EQ(first_line_of(cpuinfo.path(), "model"), "1");  // not "model name", not CPU 1's
  EXPECT_EQ(first_line_of(cpuinfo.path(), "model name"), "AMD EPYC");
  EXPECT_EQ(first_line_of(cpuinfo.path(), "power management"), "");  // a key with no value
  EXPECT_EQ(first_line_of(cpuinfo.path(), "cpu"), "");                // a prefix of a key is no key
  EXPECT_EQ(first_line_of(cpuinfo.path(), "stepping"), "");
  TextFile name_first("model name\t: AMD EPYC\nmodel\t\t: 5\n");
  EXPECT_EQ(first_line_of(name_first.path(), "model"), "5");
}

TEST(MachineInfo, EmptyKeyGivesTheFirstLineAsItIs) {
  TextFile loadavg("0.52 0.58 0.59 1/467 12345\nsecond\n");
  EXPECT_EQ(first_line_of(loadavg.path(), ""), "0.52 0.58 0.59 1/467 12345");
}

TEST(MachineInfo, MissingFileGivesNothing) {
  EXPECT_EQ(first_line_of("/nonexistent/dsim/cpuinfo", "model"), "");
  EXPECT_EQ(first_line_of("/nonexistent/dsim/loadavg", ""), "");
}

TEST(MachineInfo, CacheSizesAsTheKernelWritesThem) {
  EXPECT_EQ(cache_size_bytes("64K"), 65536);
  EXPECT_EQ(cache_size_bytes("8192K"), 8 * 1024 * 1024);
  EXPECT_EQ(cache_size_bytes("1M"), 1024 * 1024);
  EXPECT_EQ(cache_size_bytes("512"), 512);
  EXPECT_EQ(cache_size_bytes(""), -1);
  EXPECT_EQ(cache_size_bytes("K"), -1);
  EXPECT_EQ(cache_size_bytes("64KB"), -1);
  EXPECT_EQ(cache_size_bytes("x64K"), -1);
  EXPECT_EQ(cache_size_bytes("99999999999999999M"), -1);  // would overflow: refused
}

TEST(MachineInfo, HypervisorFlagMarksAVirtualCpu) {
  TextFile guest(kCpuinfo);
  EXPECT_TRUE(runs_under_hypervisor(guest.path()));
  TextFile host("processor\t: 0\nflags\t\t: fpu sse2 hypervisorx avx2\n");  // a longer flag is not it
  EXPECT_FALSE(runs_under_hypervisor(host.path()));
  EXPECT_FALSE(runs_under_hypervisor("/nonexistent/dsim/cpuinfo"));
}

// A sysfs cache folder (index0, index1, ...) of the given (level, type, size) entries.
class CacheFolder {
 public:
  struct Entry {
    std::string level, type, size;
  };
  explicit CacheFolder(const std::vector<Entry>& entries)
      : dir_(std::filesystem::temp_directory_path() / ("dsim_cache_folder_test_" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::filesystem::path index = dir_ / ("index" + std::to_string(i));
      std::filesystem::create_directories(index);
      std::ofstream(index / "level") << entries[i].level << "\n";
      std::ofstream(index / "type") << entries[i].type << "\n";
      if (!entries[i].size.empty()) std::ofstream(index / "size") << entries[i].size << "\n";
    }
  }
  ~CacheFolder() { std::filesystem::remove_all(dir_); }
  std::string path() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

TEST(MachineInfo, CacheBytesPerLevelAndType) {
  CacheFolder folder({{"1", "Data", "32K"},
                      {"1", "Instruction", "64K"},
                      {"2", "Unified", "512K"},
                      {"3", "Unified", ""},  // no size file: left out
                      {"4", "Unified", "1M"}});
  EXPECT_EQ(cache_bytes(folder.path()).dump(), R"({"L1d":32768,"L1i":65536,"L2":524288,"L4":1048576})");
  EXPECT_EQ(cache_bytes("/nonexistent/dsim/cache"), Json::object());
}

TEST(MachineInfo, LineNamesTheCpuItsCachesAndAVirtualCpu) {
  Json machine = Json::parse(R"({"cpus_online": 2, "cpu_model": "AMD EPYC", "cpu_family": 23,
      "cpu_model_number": 1, "virtual_cpu": true,
      "cache_bytes": {"L1d": 32768, "L1i": 65536, "L2": 524288, "L3": 8388608}})");
  EXPECT_EQ(machine_line(machine),
            "AMD EPYC (family 23, model 1), 2 CPUs, virtual; caches L1d 32 KiB, L1i 64 KiB, L2 512 KiB, L3 8 MiB");
}

TEST(MachineInfo, LineOfAnOlderRecordLeavesOutWhatItLacks) {
  // results.json before the family numbers and caches were recorded.
  Json machine = Json::parse(R"({"cpus_online": 2, "cpu_model": "AMD EPYC"})");
  EXPECT_EQ(machine_line(machine), "AMD EPYC, 2 CPUs");
  EXPECT_EQ(machine_line(Json::object()), "unknown CPU");
}

TEST(MachineInfo, ThisMachineIsDescribed) {
  const Json m = machine_info();
  EXPECT_GT(m["cpus_online"].get<int64_t>(), 0);
  EXPECT_TRUE(m["virtual_cpu"].is_boolean());
  EXPECT_TRUE(m["cache_bytes"].is_object());
  for (const auto& [level, bytes] : m["cache_bytes"].items()) EXPECT_GT(bytes.get<int64_t>(), 0) << level;
  EXPECT_FALSE(m["load_average_at_start"].get<std::string>().empty());  // Linux has /proc/loadavg
}

}  // namespace
}  // namespace dsim::bench
