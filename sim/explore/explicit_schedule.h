// Makes a seed's run self-contained: the random nemesis's draw for that seed becomes an
// explicit, scripted fault schedule in the scenario JSON, with the seed written in. The
// nemesis draws from its own random stream, so removing it shifts no other draw and the
// explicit scenario runs exactly like the random one (the shrinker checks that it does).
#pragma once

#include "core/json.h"
#include "scenario/scenario.h"

namespace dsim::explore {

// The scenario's document with "seed" set to its seed, "faults.schedule" holding every
// fault it would run (scripted and random, in time order) and no "faults.random".
Json explicit_scenario_document(const Scenario& scenario);

}  // namespace dsim::explore
