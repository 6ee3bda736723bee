// Atomic commit under faults: the seed document's two-phase commit, basic 2PC with
// write-ahead logs and recovery, presumed abort and presumed commit (Mohan, Lindsay &
// Obermarck), cooperative termination, three-phase commit (Skeen) and Paxos Commit (Gray
// & Lamport), each known mistake a switch, over a bank-transfer workload, with checkers
// for atomicity, commit validity, decision stability, durable prepares, conservation and
// liveness.
//
// The folder is named after the family ("2pc", what a scenario's protocol.name says); C++
// names cannot start with a digit, so the code's namespace and files say twopc.
#pragma once

#include "scenario/protocol_family.h"

namespace dsim {
ProtocolFamily twopc_family();
}  // namespace dsim
