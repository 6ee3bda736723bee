// The heartbeat detector's settings, read once from a scenario's "protocol" section.
#pragma once

#include "core/time.h"
#include "scenario/protocol_family.h"

namespace dsim::heartbeat {

struct HeartbeatSettings {
  Duration interval = Duration::millis(100);  // each node pings every other this often
  Duration timeout = Duration::millis(500);   // a peer silent this long is suspected
};

// Every "protocol" setting: key, default, range, meaning.
const SettingTable& heartbeat_setting_table();

// Reads and validates (timeout > interval); throws ScenarioError with the JSON path of a
// bad value.
HeartbeatSettings read_heartbeat_settings(ProtocolSettings& s);

}  // namespace dsim::heartbeat
