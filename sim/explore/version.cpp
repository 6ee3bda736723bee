#include "explore/version.h"

#include "program_version.h"  // generated at build time: DSIM_PROGRAM_VERSION

namespace dsim::explore {
const char* program_version() { return DSIM_PROGRAM_VERSION; }

namespace {
std::string& name_storage() {
  static std::string name = "dsim";
  return name;
}
}  // namespace

const std::string& program_name() { return name_storage(); }
void set_program_name(std::string name) { name_storage() = std::move(name); }
}  // namespace dsim::explore
