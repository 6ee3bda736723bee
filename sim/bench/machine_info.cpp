#include "bench/machine_info.h"

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/json_object.h"

namespace dsim::bench {
namespace {

namespace fs = std::filesystem;

std::string read_word(const fs::path& path) {
  std::ifstream in(path);
  std::string word;
  in >> word;
  return word;
}

// "64K", "8192K", "1M" (the kernel's cache sizes) in bytes; -1 when unreadable.
int64_t size_in_bytes(const std::string& text) {
  if (text.empty()) return -1;
  size_t used = 0;
  int64_t n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    return -1;
  }
  const std::string unit = text.substr(used);
  if (unit.empty()) return n;
  if (unit == "K") return n * 1024;
  if (unit == "M") return n * 1024 * 1024;
  return -1;
}

int64_t number_or_missing(const std::string& text) {
  try {
    return text.empty() ? -1 : std::stoll(text);
  } catch (const std::exception&) {
    return -1;
  }
}

// {"L1i": bytes, "L1d": ..., "L2": ..., "L3": ...} of the first CPU, as the kernel lists them.
Json cache_sizes() {
  Json caches = Json::object();
  const fs::path dir = "/sys/devices/system/cpu/cpu0/cache";
  std::error_code ec;
  for (int i = 0; i < 16; ++i) {
    const fs::path index = dir / ("index" + std::to_string(i));
    if (!fs::exists(index, ec)) break;
    const std::string level = read_word(index / "level");
    const std::string type = read_word(index / "type");
    const int64_t bytes = size_in_bytes(read_word(index / "size"));
    if (level.empty() || bytes < 0) continue;
    const std::string suffix = type == "Instruction" ? "i" : type == "Data" ? "d" : "";
    caches["L" + level + suffix] = bytes;
  }
  return caches;
}

std::string human_bytes(int64_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " B";
}

}  // namespace

std::string first_line_of(const char* path, const char* key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) return line;
    // /proc/cpuinfo pads its keys with tabs: "cpu family\t: 23", "model\t\t: 1".
    const std::string_view name = std::string_view(line).substr(0, colon);
    if (*key != '\0' && name.substr(0, name.find_last_not_of(" \t") + 1) != key) continue;
    return line.substr(std::min(line.size(), colon + 2));
  }
  return "";
}

Json machine_info() {
  return json_object("cpus_online", sysconf(_SC_NPROCESSORS_ONLN),
                     "cpu_model", first_line_of("/proc/cpuinfo", "model name"),
                     "cpu_family", number_or_missing(first_line_of("/proc/cpuinfo", "cpu family")),
                     "cpu_model_number", number_or_missing(first_line_of("/proc/cpuinfo", "model")),
                     "caches", cache_sizes(),
                     "load_average_at_start", first_line_of("/proc/loadavg", ""),
                     "compiler", __VERSION__,
                     "build_type", DSIM_BENCH_BUILD_TYPE);
}

std::string machine_line(const Json& machine) {
  std::string line = machine.value("cpu_model", std::string());
  if (line.empty()) line = "unknown CPU";
  const int64_t family = machine.value("cpu_family", int64_t{-1});
  const int64_t model = machine.value("cpu_model_number", int64_t{-1});
  if (family >= 0 && model >= 0) line += " (family " + std::to_string(family) + ", model " + std::to_string(model) + ")";
  line += ", " + std::to_string(machine.value("cpus_online", int64_t{0})) + " CPUs";
  const Json caches = machine.value("caches", Json::object());
  std::string listed;
  for (const char* level : {"L1i", "L1d", "L2", "L3"}) {
    if (!caches.contains(level)) continue;
    listed += std::string(listed.empty() ? "" : ", ") + level + " " + human_bytes(caches[level].get<int64_t>());
  }
  if (!listed.empty()) line += "; caches " + listed;
  return line;
}

}  // namespace dsim::bench
