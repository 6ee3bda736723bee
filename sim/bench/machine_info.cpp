#include "bench/machine_info.h"

#include <unistd.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/json_object.h"

namespace dsim::bench {
namespace {

namespace fs = std::filesystem;

// The first whitespace-separated word of a file ("" when it cannot be read): sysfs files
// hold one value each.
std::string read_word(const fs::path& path) {
  std::ifstream in(path);
  std::string word;
  in >> word;
  return word;
}

// `text` as a whole number, -1 when it is not one.
int64_t number_or_missing(const std::string& text) {
  try {
    size_t used = 0;
    const int64_t n = std::stoll(text, &used);
    return used == text.size() ? n : -1;
  } catch (const std::exception&) {  // no digits, or out of range
    return -1;
  }
}

// "64 KiB", "8 MiB", "1536 B".
std::string human_bytes(int64_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " B";
}

}  // namespace

std::string first_line_of(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (key.empty()) return line;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string_view name = std::string_view(line).substr(0, colon);
    const size_t last = name.find_last_not_of(" \t");
    name = last == std::string_view::npos ? std::string_view() : name.substr(0, last + 1);
    if (name != key) continue;
    const size_t value = line.find_first_not_of(" \t", colon + 1);
    return value == std::string::npos ? "" : line.substr(value);
  }
  return "";
}

int64_t cache_size_bytes(const std::string& text) {
  if (text.empty()) return -1;
  const char unit = text.back();
  const int64_t scale = unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : 1;
  const int64_t n = number_or_missing(scale == 1 ? text : text.substr(0, text.size() - 1));
  constexpr int64_t kMost = int64_t{1} << 40;  // no cache is near it; keeps n * scale in range
  return n < 0 || n > kMost / scale ? -1 : n * scale;
}

bool runs_under_hypervisor(const std::string& cpuinfo) {
  std::istringstream flags(first_line_of(cpuinfo, "flags"));
  std::string flag;
  while (flags >> flag) {
    if (flag == "hypervisor") return true;
  }
  return false;
}

Json cache_bytes(const std::string& dir) {
  Json caches = Json::object();
  std::error_code ec;
  for (int i = 0; i < 16; ++i) {
    const fs::path index = fs::path(dir) / ("index" + std::to_string(i));
    if (!fs::exists(index, ec)) break;
    const std::string level = read_word(index / "level");
    const std::string type = read_word(index / "type");
    const int64_t bytes = cache_size_bytes(read_word(index / "size"));
    if (level.empty() || bytes < 0) continue;
    const std::string suffix = type == "Instruction" ? "i" : type == "Data" ? "d" : "";
    caches["L" + level + suffix] = bytes;
  }
  return caches;
}

Json machine_info() {
  return json_object("cpus_online", sysconf(_SC_NPROCESSORS_ONLN),
                     "cpu_model", first_line_of("/proc/cpuinfo", "model name"),
                     "cpu_family", number_or_missing(first_line_of("/proc/cpuinfo", "cpu family")),
                     "cpu_model_number", number_or_missing(first_line_of("/proc/cpuinfo", "model")),
                     "virtual_cpu", runs_under_hypervisor("/proc/cpuinfo"),
                     "cache_bytes", cache_bytes("/sys/devices/system/cpu/cpu0/cache"),
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
  if (machine.contains("cpus_online")) line += ", " + std::to_string(machine["cpus_online"].get<int64_t>()) + " CPUs";
  if (machine.value("virtual_cpu", false)) line += ", virtual";
  std::string listed;
  const Json caches = machine.value("cache_bytes", Json::object());
  for (const auto& [level, bytes] : caches.items()) {
    if (!bytes.is_number_integer()) continue;
    listed += (listed.empty() ? "" : ", ") + level + " " + human_bytes(bytes.get<int64_t>());
  }
  if (!listed.empty()) line += "; caches " + listed;
  return line;
}

}  // namespace dsim::bench
