// Every protocol family a scenario can name: the built-in ones, listed in registry.cpp
// (the one place that knows them all), then any a program adds with
// add_protocol_families() — a user's own families, through the SDK's entry point
// cli::main_with() (cli/main_with.h). Every reader of the list sees both.
#pragma once

#include <vector>

#include "scenario/protocol_family.h"

namespace dsim {

// The built-in families, then the added ones, in the order added.
const std::vector<ProtocolFamily>& protocol_families();

// Appends `extra` to protocol_families(). Call it once, before any scenario is loaded
// (a loaded Scenario points into the list). Throws std::invalid_argument when a family
// has no name, no configure function or no settings table, or a name is already taken (built-in or added).
void add_protocol_families(std::vector<ProtocolFamily> extra);

}  // namespace dsim
