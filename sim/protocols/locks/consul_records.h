// The Consul-like server's disk record (consul_server.h), as the family's own type
// (DurableStore::put of a struct, read back with get_record and as<R>()): no JSON is built
// to write or recover it. write_fields gives its fields (for tools that dump a disk) in
// the order the JSON record had.
//
// Key "consul": the sessions and the lock key, rewritten and synced before the server
// answers. The lock-delay is not in it: a Consul leader keeps it in memory only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/json.h"

namespace dsim::locks::rec {

struct ConsulState {
  static constexpr std::string_view kName = "consul";
  struct Session {
    int64_t id = 0;
    NodeId client = kNoNode;
  };
  // The lock key as it stands.
  struct Key {
    int64_t session = 0;  // the holder's session; 0: free
    std::string owner;
    NodeId client = kNoNode;
    int64_t lock_index = 0;
    int64_t modify_index = 0;
  };
  int64_t next_session = 1;
  std::vector<Session> sessions;  // by id, ascending
  Key key;

  // {"next_session", "sessions": [[id, client], ...],
  //  "key": [session, owner, client, lock_index, modify_index]}
  void write_fields(Json& out) const {
    out["next_session"] = next_session;
    Json& s = out["sessions"] = Json::array();
    for (const Session& x : sessions) s.push_back(Json{x.id, x.client});
    out["key"] = Json{key.session, key.owner, key.client, key.lock_index, key.modify_index};
  }
};

}  // namespace dsim::locks::rec
