// Every protocol family a scenario can name. The one place that knows them all.
#pragma once

#include <vector>

#include "scenario/protocol_family.h"

namespace dsim {
const std::vector<ProtocolFamily>& protocol_families();
}  // namespace dsim
