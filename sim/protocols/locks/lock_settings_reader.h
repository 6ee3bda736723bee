// Reads a lock scenario's "protocol" and "workload" sections into LockSettings. Only the
// keys that mean something for the chosen variant are read, so a key meant for another
// service (a "ttl" on zookeeper) is rejected as unknown rather than silently ignored.
#pragma once

#include "protocols/locks/lock_settings.h"
#include "scenario/protocol_family.h"

namespace dsim::locks {

// Every "protocol" and "workload" setting, with the variants that read it; the defaults
// are those of lock_settings.h.
const SettingTable& lock_setting_table();
// The roles of the nodes ("lock", "client", ...) and the variants each applies to.
const std::vector<RoleRow>& lock_role_table();

// Throws ScenarioError naming the JSON path.
LockSettings read_lock_settings(ProtocolSettings& s);

}  // namespace dsim::locks
