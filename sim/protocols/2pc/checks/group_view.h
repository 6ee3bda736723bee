// Replicated participants (replicated_primary.h, participant_replica.h): the accounts
// belong to a group, so the checks must judge the group, not a node. This wraps any check
// of the family: a protocol event from a replica is shown as the group's (the node of its
// first primary, the name the coordinators use), and a group counts as up while either
// member is. Simulator events (crash, restart, ...) keep their node. A promoted replica's
// recovery is thus the group's: a yes vote whose PREPARED record never reached the
// replica is a promise the group forgot (prepared_durable, atomicity).
#pragma once

#include <memory>

#include "check/checker.h"
#include "protocols/2pc/settings.h"

namespace dsim::twopc {

std::unique_ptr<Checker> judge_by_group(std::unique_ptr<Checker> check, Replication replication);

}  // namespace dsim::twopc
