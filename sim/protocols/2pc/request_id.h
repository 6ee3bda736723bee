// A client's request id as a value: the client that sent it, that client's incarnation
// and the request's sequence number there (its handle, counted from 1 per process). It is
// carried by value in the Begin and Result messages, the coordinator's transaction and
// duplicate set, and the client's events; compared and hashed as integers. Its text,
// "<client>.<incarnation>.<seq>" (e.g. "client1.0.17"), is made only where a trace, a
// summary or a test shows it.
//
// Unlike TxId it holds no Cluster (16 bytes, the key of the coordinator's duplicate set):
// every message and event that writes it has the run's Cluster at hand and passes it to
// str() or text().
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/text_buffer.h"

namespace dsim::twopc {

struct RequestId {
  NodeId client = kNoNode;
  uint32_t incarnation = 0;
  uint64_t seq = 0;  // 0: no request (the empty id)

  bool empty() const { return seq == 0; }
  friend bool operator==(const RequestId& a, const RequestId& b) {
    return a.seq == b.seq && a.client == b.client && a.incarnation == b.incarnation;
  }
  // For absl's hashed containers (the coordinator's duplicate set).
  template <typename H>
  friend H AbslHashValue(H h, const RequestId& r) {
    return H::combine(std::move(h), r.client, r.incarnation, r.seq);
  }

  // The id's text, naming the client through `cluster`; "" for the empty id.
  std::string str(const Cluster& cluster) const {
    if (empty()) return std::string();
    std::string out = cluster.name(client);
    char buf[48];
    char* p = buf;
    *p++ = '.';
    p = std::to_chars(p, buf + 16, incarnation).ptr;
    *p++ = '.';
    p = std::to_chars(p, buf + sizeof buf, seq).ptr;
    out.append(buf, p);
    return out;
  }

  // The id's text for a JSON writer (core/field_writer.h: WritesStringText), naming the
  // client through `cluster`: written in place, with no std::string built. Valid while
  // the id is: write it at once (out["request"] = request.text(*cluster)).
  struct Text {
    const RequestId* id;
    const Cluster* cluster;
    void append_text(TextBuffer& out) const {
      if (id->empty()) return;
      out.append(cluster->name(id->client));
      char* const start = out.room(42);
      char* p = start;
      *p++ = '.';
      p = std::to_chars(p, start + 16, id->incarnation).ptr;
      *p++ = '.';
      p = std::to_chars(p, start + 42, id->seq).ptr;
      out.end_at(p);
    }
    friend void to_json(Json& j, const Text& t) { j = t.id->str(*t.cluster); }
  };
  Text text(const Cluster& cluster) const { return Text{this, &cluster}; }
};

}  // namespace dsim::twopc
