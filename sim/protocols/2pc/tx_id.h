// A transaction's id as a value: the coordinator that named it, that coordinator's
// incarnation and its sequence number there. It is compared and hashed as integers; its
// text, "<coordinator>.<incarnation>.<seq>" (e.g. "c1.0.17"), is written only where a
// trace, a report or a test shows it.
//
// The id carries the run's Cluster (which outlives every message, event and record of its
// run) so that it can name its coordinator wherever it is written; equality and hashing
// ignore it (one run has one Cluster).
//
// Order: by_text() orders ids as their texts compare, for the places whose order reaches a
// trace or a report ("c1.0.10" < "c1.0.2").
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "core/cluster.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/text_buffer.h"

namespace dsim::twopc {

struct TxId {
  const Cluster* cluster = nullptr;
  NodeId coordinator = kNoNode;
  uint32_t incarnation = 0;
  uint64_t seq = 0;  // 0: no transaction (the empty id)

  bool empty() const { return seq == 0; }
  friend bool operator==(const TxId& a, const TxId& b) {
    return a.seq == b.seq && a.coordinator == b.coordinator && a.incarnation == b.incarnation;
  }

  // "<incarnation>.<seq>" into `buf` (at least 32 chars); returns its length.
  size_t write_suffix(char* buf) const {
    char* p = std::to_chars(buf, buf + 16, incarnation).ptr;
    *p++ = '.';
    p = std::to_chars(p, buf + 32, seq).ptr;
    return static_cast<size_t>(p - buf);
  }
  // The id's text appended to `out` as it is, nothing for the empty id: a JSON writer
  // quotes it (core/field_writer.h: WritesStringText), with no std::string built.
  void append_text(TextBuffer& out) const {
    if (empty()) return;
    out.append(cluster->name(coordinator));
    char* p = out.room(33);
    *p = '.';
    out.end_at(p + 1 + write_suffix(p + 1));
  }
  // A Json holds the id as its text (str()).
  friend void to_json(Json& j, const TxId& id) { j = id.str(); }
  // The id's text; "" for the empty id.
  std::string str() const {
    if (empty()) return std::string();
    std::string out = cluster->name(coordinator);
    char buf[32];
    out.push_back('.');
    out.append(buf, write_suffix(buf));
    return out;
  }

  // a's text < b's text, without building either.
  static bool text_less(const TxId& a, const TxId& b) {
    if (a.empty() || b.empty()) return a.empty() && !b.empty();
    if (a.coordinator != b.coordinator) {
      const std::string& na = a.cluster->name(a.coordinator);
      const std::string& nb = b.cluster->name(b.coordinator);
      // The '.' after the name takes part in the comparison when one name prefixes the other.
      size_t n = std::min(na.size(), nb.size());
      int c = na.compare(0, n, nb, 0, n);
      if (c != 0) return c < 0;
      if (na.size() != nb.size()) {
        char ca = na.size() > n ? na[n] : '.';
        char cb = nb.size() > n ? nb[n] : '.';
        if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
        return a.str() < b.str();  // a name with a '.' at this point: rare, compare in full
      }
    }
    char ba[32], bb[32];
    std::string_view sa(ba, a.write_suffix(ba)), sb(bb, b.write_suffix(bb));
    return sa < sb;
  }
  struct by_text {
    bool operator()(const TxId& a, const TxId& b) const { return text_less(a, b); }
  };
};

// (node, tx) pairs ordered by node, then by the tx's text.
struct NodeTxLess {
  bool operator()(const std::pair<NodeId, TxId>& a, const std::pair<NodeId, TxId>& b) const {
    if (a.first != b.first) return a.first < b.first;
    return TxId::text_less(a.second, b.second);
  }
};

struct TxIdHash {
  size_t operator()(const TxId& t) const {
    uint64_t h = t.seq * 0x9E3779B97F4A7C15ULL;
    h ^= (static_cast<uint64_t>(t.coordinator) << 32 | t.incarnation) + 0x632BE59BD9B4E019ULL + (h << 6) + (h >> 2);
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

}  // namespace dsim::twopc
