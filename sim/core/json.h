// The JSON type used across the simulator: insertion-ordered, so that every object we
// write (traces, summaries, scenario echoes) lists its keys in the order the code or the
// scenario file gave them — deterministic and readable.
#pragma once

#include <nlohmann/json.hpp>

namespace dsim {
using Json = nlohmann::ordered_json;
}  // namespace dsim
