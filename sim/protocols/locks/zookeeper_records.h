// The ZooKeeper-like server's disk record (zookeeper_server.h), as the family's own type
// (DurableStore::put of a struct, read back with get_record and as<R>()): no JSON is built
// to write or recover it. write_fields gives its fields (for tools that dump a disk) in
// the order the JSON record had.
//
// Key "zk": everything but the watches, rewritten and synced before the server answers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/json.h"

namespace dsim::locks::rec {

struct ZookeeperState {
  static constexpr std::string_view kName = "zk";
  struct Session {
    int64_t id = 0;
    NodeId client = kNoNode;
  };
  // An ephemeral sequential entry under the lock's parent.
  struct Entry {
    int64_t seq = 0;
    int64_t session = 0;
    std::string owner;
    std::string tag;
    NodeId client = kNoNode;
  };
  int64_t next_seq = 1;
  int64_t next_session = 1;
  std::vector<Session> sessions;  // by id, ascending
  std::vector<Entry> entries;     // by sequence number, ascending: the first holds the lock

  // {"next_seq", "next_session", "sessions": [[id, client], ...],
  //  "entries": [[seq, session, owner, tag, client], ...]}
  void write_fields(Json& out) const {
    out["next_seq"] = next_seq;
    out["next_session"] = next_session;
    Json& s = out["sessions"] = Json::array();
    for (const Session& x : sessions) s.push_back(Json{x.id, x.client});
    Json& e = out["entries"] = Json::array();
    for (const Entry& x : entries) e.push_back(Json{x.seq, x.session, x.owner, x.tag, x.client});
  }
};

}  // namespace dsim::locks::rec
