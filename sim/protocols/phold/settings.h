// PHOLD's settings, read once from a scenario's "protocol" section.
#pragma once

#include <cstdint>

#include "scenario/protocol_family.h"

namespace dsim::phold {

struct PholdSettings {
  int64_t tokens_per_node = 1;  // tokens each node starts with
};

// Every "protocol" setting: key, default, range, meaning.
const SettingTable& phold_setting_table();

// Reads and validates; throws ScenarioError with the JSON path of a bad value.
PholdSettings read_phold_settings(ProtocolSettings& s);

}  // namespace dsim::phold
