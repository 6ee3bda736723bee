// The recovery role: a separate recovery manager, as Narayana's XA recovery runs beside
// its transaction manager. Every `recovery_scan_interval` it asks each participant for its
// prepared branches (XAResource.recover()); a branch it has seen prepared for at least
// `orphan_safety_interval` it resolves from the coordinator's log: a commit or abort
// record is applied, no record means the transaction never decided and is presumed
// aborted ("orphan" branches). The interval exists because the coordinator writes its
// decision only after every vote is in: a branch prepared a moment ago usually has no
// record yet because its transaction is still in flight, not because it is an orphan.
//
// The log is read by message (log_query / log_answer, recovery_messages.h): Narayana's
// recovery manager reads the transaction log store directly, but dsim nodes share no
// disk, so the coordinator answers from its log records (never from its memory, which is
// what the store would show: a transaction still voting has no record).
//
// Age is counted in scan periods (local elapsed time, from the scan at which the branch
// was first reported), so a jump of the recovery node's clock cannot age a branch; a
// restart of the recovery node forgets every sighting and starts the count again.
//
// The mistake recovery_presumes_abort_in_flight resolves a branch at first sight, with
// no safety interval: an in-flight branch is presumed aborted while its coordinator goes
// on to commit (a mixed outcome).
//
// Trace events: recovery_resolve {tx, participant, outcome, presumed, seen_ns}.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "core/process.h"
#include "protocols/2pc/recovery_messages.h"
#include "protocols/2pc/settings.h"

namespace dsim::twopc {

enum class RecoveryTimer : uint32_t {
  kScan = 64,  // apart from TxTimer's values: the next periodic scan
};
inline std::string_view timer_name(RecoveryTimer) { return "recovery_scan"; }

namespace ev {
// The recovery manager sent an outcome to a prepared branch.
struct RecoveryResolved {
  static constexpr std::string_view kName = "recovery_resolve";
  TxId tx;
  NodeId participant = kNoNode;
  Outcome outcome = Outcome::kAbort;
  bool presumed = false;   // no log record: abort presumed
  int64_t seen_ns = 0;     // how long it has seen the branch prepared
  const Cluster* cluster = nullptr;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["participant"] = cluster->name(participant);
    out["outcome"] = to_string(outcome);
    out["presumed"] = presumed;
    out["seen_ns"] = seen_ns;
  }
};
}  // namespace ev

class RecoveryManager final : public Process {
 public:
  explicit RecoveryManager(std::shared_ptr<const Settings> settings) : s_(std::move(settings)) {}

  void on_start(Context& ctx) override;
  void on_message(Context& ctx, NodeId from, const Message& m) override;
  void on_timer(Context& ctx, const Timer& t) override;

  // For tests: the branches it currently knows prepared (resolved ones until a scan no
  // longer lists them), as (participant, tx).
  size_t branches_seen() const { return branches_.size(); }

 private:
  struct Branch {
    NodeId coordinator = kNoNode;
    int64_t first_scan = 0;  // the scan whose answer first listed it
  };
  void on_prepared_branches(Context& ctx, NodeId from, const msg::PreparedBranches& m);
  void on_log_answer(Context& ctx, const msg::LogAnswer& m);
  Duration age(const Branch& b) const;
  bool old_enough(const Branch& b) const;

  std::shared_ptr<const Settings> s_;
  int64_t scan_ = 0;
  std::map<std::pair<NodeId, TxId>, Branch, NodeTxLess> branches_;  // (participant, tx)
  std::map<TxId, int64_t, TxId::by_text> queried_;                     // tx -> scan it was last asked in
};

// The coordinator's side: answers a log_query from its log records.
void answer_log_query(Context& ctx, NodeId from, const msg::LogQuery& m);

}  // namespace dsim::twopc
