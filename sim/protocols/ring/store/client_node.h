// A client of the store: issues gets and puts on random keys at Poisson times, each to a
// random store node it has not recently seen time out; retries at another node after a
// timeout or an "unavailable" answer, up to `attempts`. Traces "op_invoke" when an
// operation starts and "op_done" when it ends, with its outcome and latency: the record
// the availability and freshness checks and the ring plots are computed from. Each
// operation is also traced as a common client operation (core/client_op.h): ok; a get
// that did not succeed is fail, a put that did not succeed unknown (it may have reached
// some replicas).
#pragma once

#include <memory>

#include "core/process.h"
#include "protocols/ring/store/store_settings.h"

namespace dsim::ring {

std::unique_ptr<Process> make_client_node(std::shared_ptr<const StoreSettings> settings);

}  // namespace dsim::ring
