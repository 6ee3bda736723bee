// Distributed locks under faults. Variants are lock services: seed (the naive lock of
// the document this project started from), redis (a lease: SET NX PX), redlock (a
// majority of independent Redis servers), zookeeper (sessions and ephemeral sequential
// entries) and consul (sessions, lock-delay, a lock index). Fencing tokens can be
// switched on for any of them. Roles: "lock" servers, "client"s and one "resource".
//
// Checks: exclusion, overlap, token_order, owner_release, liveness, and lock_metrics
// (figures only). See checks/ for what each judges.
//
// The family's types: messages.h (every message, as it travels), events.h (every
// protocol event, as the checkers read it), timers.h (timer kinds), records.h and the
// servers' *_records.h (disk records). JSON is written from them only for a trace.
#pragma once

#include "scenario/protocol_family.h"

namespace dsim {
ProtocolFamily locks_family();
}  // namespace dsim
