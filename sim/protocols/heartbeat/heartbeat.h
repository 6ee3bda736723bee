// An all-to-all heartbeat failure detector: every node pings every other node each
// `interval`, answers pings with pongs, and suspects a peer it has not heard from for
// `timeout`. Small, but it makes partitions, crashes, pauses and clock drift visible:
// false suspicions during a partition, detection time after a crash, recovery after heal.
#pragma once

#include "scenario/protocol_family.h"

namespace dsim {
ProtocolFamily heartbeat_family();
}  // namespace dsim
