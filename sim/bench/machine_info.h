// What a benchmark's figures depend on besides dsim's code: the CPU (its name, family and
// model numbers, its caches, and whether it is a virtual CPU), the compiler, the build type
// and the load. Rates from two machines compare only through their ratios, and even those
// may move with the CPU: 2PC's ratio to PHOLD differed between two machines
// (FAMILIES.md, sessions 21 and 22).
#pragma once

#include <cstdint>
#include <string>

#include "core/json.h"

namespace dsim::bench {

// {"cpus_online", "cpu_model" (the model's name, e.g. "AMD EPYC"), "cpu_family" and
// "cpu_model_number" (numbers, -1 when unknown), "virtual_cpu" (runs_under_hypervisor()),
// "cache_bytes" (cache_bytes() of the first CPU), "load_average_at_start", "compiler",
// "build_type"}. Reads /proc/cpuinfo, /proc/loadavg and /sys/devices/system/cpu/cpu0/cache;
// never throws for a file that is missing or reads oddly.
Json machine_info();

// True when the "flags" of `cpuinfo` (a /proc/cpuinfo) name "hypervisor": the CPU runs
// under one, and its name, numbers and caches are what the hypervisor shows, which need not
// be the host's.
bool runs_under_hypervisor(const std::string& cpuinfo);

// Bytes per cache of one CPU, from its sysfs cache folder (`dir`, e.g.
// /sys/devices/system/cpu/cpu0/cache: index0, index1, ... each with level, type, size),
// keyed "L1d", "L1i", "L2", "L3" in the kernel's order (a unified L1 is "L1", a split L2
// "L2d"/"L2i"). An index whose level or size cannot be read is left out; an empty object
// when there is no folder.
Json cache_bytes(const std::string& dir);

// One line for the printed report, e.g. "AMD EPYC (family 23, model 1), 2 CPUs, virtual;
// caches L1d 32 KiB, L1i 64 KiB, L2 512 KiB, L3 8 MiB". Takes a "machine" object as
// machine_info() makes it, or as an older results.json has it (the fields it lacks are
// left out of the line).
std::string machine_line(const Json& machine);

// The value of the first line of `path` whose key (the text before its first ':', spaces
// and tabs trimmed: /proc/cpuinfo pads keys with tabs) is `key`, from its first character
// after the ':' that is not a space or a tab; "" when there is no such line or no file.
// With an empty key, the file's first line as it is (/proc/loadavg has no keys).
std::string first_line_of(const std::string& path, const std::string& key);

// A cache size as the kernel writes it ("64K", "8192K", "1M", "512") in bytes; -1 when it
// is not one (or is beyond 2^40 bytes).
int64_t cache_size_bytes(const std::string& text);

}  // namespace dsim::bench
