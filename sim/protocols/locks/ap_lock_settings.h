// The knobs of the availability-first lock (variant ap, ap_lock_server.h): two members
// (role "lock"), the lock's owner and its backup, in the manner of Hazelcast's
// partition-replicated ILock (pre-3.12, AP). Read by lock_settings_reader.cpp.
#pragma once

#include <cstdint>

#include "core/time.h"

namespace dsim::locks {

struct ApLockSettings {
  // Members greet each other this often; the owner's greeting carries the lock's state.
  Duration member_heartbeat = Duration::millis(100);
  // A member not heard from this long is removed from the cluster: each side goes on
  // alone, and a backup left alone takes the lock over from its copy.
  Duration member_timeout = Duration::seconds(1);
  // Split-brain protection (Hazelcast's minimum cluster size for the lock): the owner
  // serves only while this many members (itself included) are in its cluster. 0 or 1: off.
  int64_t split_brain_protection = 0;
};

}  // namespace dsim::locks
