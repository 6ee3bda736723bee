// A primary-backup register, written as a dsim protocol family outside dsim's tree
// (README.md here). One primary orders the writes and copies each to one backup; clients
// write through the primary and read from the backup. The check `no_stale_read`: a read
// that starts after a write was acknowledged returns that write or a later one.
//
// The mistake switch protocol.ack_before_backup acknowledges a write to the client before
// the backup has it; a read that then reaches the backup first returns the older value.
#pragma once

#include <memory>

#include "core/time.h"
#include "scenario/protocol_family.h"

namespace primary_backup {

struct Settings {
  bool ack_before_backup = false;  // the mistake
  dsim::Duration think_time;       // a client's mean pause between operations
  dsim::Duration request_timeout;  // a client gives up on a reply after this
};

dsim::ProtocolFamily family();

// The roles' processes and the check, for the family entry (and for unit tests).
std::unique_ptr<dsim::Process> make_primary(const Settings& s, dsim::NodeId backup);
std::unique_ptr<dsim::Process> make_backup();
std::unique_ptr<dsim::Process> make_client(const Settings& s, dsim::NodeId primary, dsim::NodeId backup);
std::unique_ptr<dsim::Checker> make_no_stale_read_check();

}  // namespace primary_backup
