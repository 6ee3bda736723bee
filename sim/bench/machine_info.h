// What a benchmark's figures depend on besides dsim's code: the CPU (its name, family and
// model numbers, and its caches), the compiler, the build type and the load. Rates from two
// machines compare only through their ratios, and even those move with the caches: 2PC's
// rate against PHOLD's follows the first-level instruction cache (README.md, session 22).
#pragma once

#include <string>

#include "core/json.h"

namespace dsim::bench {

// {"cpus_online", "cpu_model", "cpu_family", "cpu_model_number", "caches":
// {"L1i", "L1d", "L2", "L3"} (bytes, of the first CPU; a level the machine does not report
// is absent), "load_average_at_start", "compiler", "build_type"}. Reads /proc/cpuinfo,
// /proc/loadavg and /sys/devices/system/cpu/cpu0/cache; what it cannot read is "" (text),
// -1 (numbers) or left out (caches). Never throws for a missing file.
Json machine_info();

// One line for the printed report, e.g. "AMD EPYC (family 23, model 1), 2 CPUs; caches
// L1i 64 KiB, L1d 32 KiB, L2 512 KiB, L3 8 MiB". REQUIRES: `machine` made by machine_info().
std::string machine_line(const Json& machine);

// The text after "KEY<tabs>: " of the first line of `path` that starts with `key` ("" when
// there is none); with an empty key, the file's first line.
std::string first_line_of(const char* path, const char* key);

}  // namespace dsim::bench
