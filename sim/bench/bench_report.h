// Turns the benchmark's results into verdicts on the targets and a table for
// people.
#pragma once

#include <string>

#include "core/json.h"

namespace dsim::bench {

// [{"target", "measured", "threshold", "met"}] for each target of issue 8 (and the speed
// target of issue 2, and issue 13's families targets) that the results can judge.
Json judge_targets(const Json& results);

// A plain-text summary: the machine, events/s per contender and node count, ratios,
// memory, the rest.
std::string format_table(const Json& results);
// "Machine: <machine_line(results["machine"])>\n" (machine_info.h); "" when the results
// do not say.
std::string machine_heading(const Json& results);
// The families part alone, and the targets' verdicts (format_table includes both).
std::string format_families_table(const Json& results);
std::string format_targets(const Json& results);

}  // namespace dsim::bench
