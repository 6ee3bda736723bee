// PHOLD (Fujimoto, 1990): the standard benchmark of discrete-event simulators. Every
// node starts with T tokens; each delivered token is forwarded to a uniformly random
// node. The forwarding delay is the network's latency (uniform 1-10 ms in the shipped
// scenario), so the full network model is on the hot path. The family's entry; the
// parts are in this folder (README.md lists them).
#pragma once

#include "scenario/protocol_family.h"

namespace dsim {
ProtocolFamily phold_family();
}  // namespace dsim
