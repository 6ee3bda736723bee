#include "explore/version.h"

namespace dsim::explore {
const char* program_version() { return DSIM_PROGRAM_VERSION; }
}  // namespace dsim::explore
