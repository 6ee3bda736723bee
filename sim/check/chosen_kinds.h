// Whether a checker is shown an observation, by the kinds it chose (Checker::event_kinds):
// the rule a run's routes follow (check/checker_routes.h), for code that calls observe()
// itself: a wrapper that shows one checker what another was shown (2PC's WithOwnKeeper),
// and the unit tests' fake view (tests/support/fake_checker_view.h). Keeping to it there
// means a check that reads a kind its list leaves out fails its unit tests, as a run would
// silently skip that kind.
#pragma once

#include <vector>

#include "check/checker.h"
#include "core/payload.h"

namespace dsim {

// True when `kinds` (a checker's event_kinds()) is empty, or holds the kind of `o`. An
// observation given as JSON (tests) has no kind; it is matched by name instead, so it
// counts as every kind of that name (2PC's ParticipantRecovered and CoordinatorRecovered
// are both "recovered").
inline bool kind_is_chosen(const std::vector<const PayloadKind*>& kinds, const Observation& o) {
  if (kinds.empty()) return true;
  for (const PayloadKind* k : kinds) {
    if (o.typed.empty() ? k->name == o.event : k == o.typed.kind()) return true;
  }
  return false;
}

}  // namespace dsim
