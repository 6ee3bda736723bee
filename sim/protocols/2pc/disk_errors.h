// What the 2PC family does with the disk faults of core/durable_store.h: the trace events
// for a forced write the disk failed or has not finished, and for a torn record found in
// recovery, and how a recovery without record checksums reads a torn record.
//
// The rules the 2PC roles follow (two_phase_coordinator_log.cpp,
// two_phase_participant_log.cpp):
//   - A coordinator announces no decision (and answers no inquiry about it) until its
//     record is durable; it re-appends a record the disk refused and syncs again every
//     log_retry_interval until it is (Gray & Reuter, "Transaction Processing", 10.3: the
//     commit record is the commit point).
//   - A participant votes yes only once PREPARED is durable; a PREPARED the disk refused
//     to append makes it vote no; one whose sync failed is synced again (no vote until it
//     is durable or the outcome comes). It acknowledges an outcome only once the
//     outcome record is durable, re-writing it until it is; meanwhile the coordinator
//     re-sends the decision.
//   - Recovery checks each record's checksum: a torn record (RecordLog::torn) is dropped
//     (it is the last one a crash left; later records were written after the restart).
#pragma once

#include <string>
#include <string_view>

#include "core/durable_store.h"
#include "core/json.h"
#include "core/payload.h"
#include "protocols/2pc/tx_id.h"

namespace dsim::twopc {
namespace ev {

// A forced write the disk did not make durable at once: "write" (the append was refused)
// or "sync" (it failed, or is in progress on a slow or hung disk). `ignored`: the mistake
// coordinator_ignores_log_errors carries on as if it were durable.
struct LogError {
  static constexpr std::string_view kName = "log_error";
  TxId tx;
  std::string_view rec;
  std::string_view op;
  DiskStatus status = DiskStatus::kIoError;
  bool ignored = false;
  void write_fields(Json& out) const {
    out["tx"] = tx;
    out["rec"] = std::string(rec);
    out["op"] = std::string(op);
    out["status"] = to_string(status);
    if (ignored) out["ignored"] = true;
  }
};

// Recovery met a record a crash left half written: `dropped` with checksums; without
// (the mistake participant_no_record_checksums) it is decoded as garbage and used.
struct TornRecord {
  static constexpr std::string_view kName = "torn_record";
  std::string_view rec;
  TxId tx;
  bool dropped = true;
  void write_fields(Json& out) const {
    out["rec"] = std::string(rec);
    out["tx"] = tx;
    out["dropped"] = dropped;
  }
};

}  // namespace ev

// A participant log record (records.h) as a reader without checksums decodes it when the
// crash tore it: the transaction id at its head survives, the lost tail reads as zero
// bytes. PREPARED: coordinator node 0, no participants, acceptors or operations; COMMIT:
// every delta 0. Other records are short enough to survive whole.
Payload decode_without_checksum(const Payload& torn);
// The transaction a participant record names (the empty id for OPEN).
TxId record_tx(const Payload& record);

}  // namespace dsim::twopc
