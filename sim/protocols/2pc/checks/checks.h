// The checks the 2PC family offers, each in its own file, each judging only from trace
// events and the CheckerView. Every violation names the transaction, the nodes and the
// time. "metrics" is an observer: it never fails, it only measures.
//
// A check that judges one of the frequent event kinds builds the report it may make there
// in a function of its own, marked [[gnu::cold, gnu::noinline]]: a run reports a handful of
// times at most, while the test before the report runs at every such event. Out of line,
// the report's string and JSON code stays out of the hot path's cache lines (a 2PC run's
// hot code is about twice the CPU's 32 KiB first-level instruction cache: sim/bench/
// README.md, session 19).
#pragma once

#include <memory>

#include "check/checker.h"
#include "core/time.h"

namespace dsim::twopc {

class SharedTxLedger;  // the run's common model of every transaction (tx_ledger.h)

// Each check reads `ledger`, shared with the run's other checks and kept by its keeper; with
// none, the check comes with a ledger and a keeper of its own (shown each event first).

// The subscriber that keeps the shared `ledger` (tx_ledger.h), its only writer: added to a
// run before the checks that read it, it shows the ledger each event of the ledger's kinds
// once. Never reports, measures nothing. The checks of `ledger` rely on it.
std::unique_ptr<Checker> make_ledger_keeper(std::shared_ptr<SharedTxLedger> ledger);

// No transaction is committed at one participant and aborted at another (a participant
// that forgot its part in a restart counts as aborted there).
std::unique_ptr<Checker> make_atomicity_check(std::shared_ptr<SharedTxLedger> ledger = nullptr);
// Commit only if every participant voted yes (or read-only).
std::unique_ptr<Checker> make_commit_validity_check(std::shared_ptr<SharedTxLedger> ledger = nullptr);
// A coordinator's decision never changes, survives its crashes, and what it logs is what
// it sends.
std::unique_ptr<Checker> make_decision_stable_check(std::shared_ptr<SharedTxLedger> ledger = nullptr);
// A participant that voted yes is still prepared (or decided) after a restart.
std::unique_ptr<Checker> make_prepared_durable_check(std::shared_ptr<SharedTxLedger> ledger = nullptr);
// The total of all committed balances never changes; every audit sees the total.
std::unique_ptr<Checker> make_conservation_check(std::shared_ptr<SharedTxLedger> ledger = nullptr);
// Once faults stop (crashed nodes back, or the rest of the cluster stable with some
// nodes left down), every transaction at a running node is decided within `bound`.
std::unique_ptr<Checker> make_liveness_check(Duration bound, std::shared_ptr<SharedTxLedger> ledger = nullptr);
// No branch starts executing after its participant was told the transaction's outcome
// (a rollback that overtook the branch start), and no branch that never prepared still
// holds its locks `bound` after its coordinator decided. Measures the lock time branches
// hold after their transaction was decided.
std::unique_ptr<Checker> make_decided_then_executed_check(Duration bound,
                                                          std::shared_ptr<SharedTxLedger> ledger = nullptr);
// In-doubt times, blocking, lock hold, commit latency, messages, recovery, heuristics.
std::unique_ptr<Checker> make_metrics_observer(std::shared_ptr<SharedTxLedger> ledger = nullptr);

}  // namespace dsim::twopc
