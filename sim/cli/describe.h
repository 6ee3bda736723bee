// What `dsim describe` prints: the protocol families the loader knows, each with its
// variants, checks and settings, read from the same registry and setting tables the
// scenario loader uses (so the description is what dsim accepts).
#pragma once

#include <iosfwd>
#include <vector>

#include "core/json.h"
#include "scenario/protocol_family.h"

namespace dsim::cli {

// {"name", "summary", "variants", "default_variant", "checks", "default_checks",
//  "check_descriptions": {check: one line}, "settings": [rows of SettingTable::to_json()]}
Json describe_family_json(const ProtocolFamily& family);

// The same, as text for a terminal: one block per family, one line per setting.
void describe_family_text(std::ostream& out, const ProtocolFamily& family);

}  // namespace dsim::cli
