// Tests write a transaction id as its trace text ("coord.0.1"); tx_id() reads one back
// as the TxId the family uses, naming its coordinator through `cluster`. request_id()
// does the same for a client's request id ("client.0.1"): the two texts have one shape,
// "<node>.<incarnation>.<seq>".
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/cluster.h"
#include "protocols/2pc/request_id.h"
#include "protocols/2pc/tx_id.h"

namespace dsim::twopc::testing {

// "<node>.<incarnation>.<seq>" of `cluster`'s node, with seq > 0, as a TxId (the fields
// both ids share); nothing (and a test failure naming `what`) for any other text.
inline std::optional<TxId> parse_node_id(const Cluster& cluster, std::string_view text, const char* what) {
  size_t last = text.rfind('.');
  size_t mid = last == std::string_view::npos || last == 0 ? std::string_view::npos : text.rfind('.', last - 1);
  TxId out;
  out.cluster = &cluster;
  if (mid != std::string_view::npos) {
    auto node = cluster.find(std::string(text.substr(0, mid)));
    std::string_view inc = text.substr(mid + 1, last - mid - 1), seq = text.substr(last + 1);
    if (node && std::from_chars(inc.data(), inc.data() + inc.size(), out.incarnation).ec == std::errc{} &&
        std::from_chars(seq.data(), seq.data() + seq.size(), out.seq).ec == std::errc{} && out.seq != 0) {
      out.coordinator = *node;
      if (out.str() == text) return out;
    }
  }
  ADD_FAILURE() << what << "(): not <node>.<incarnation>.<seq> of this cluster: " << text;
  return std::nullopt;
}

inline TxId tx_id(const Cluster& cluster, std::string_view text) {
  if (text.empty()) return TxId{};
  return parse_node_id(cluster, text, "tx_id").value_or(TxId{});
}

inline RequestId request_id(const Cluster& cluster, std::string_view text) {
  if (text.empty()) return RequestId{};
  std::optional<TxId> id = parse_node_id(cluster, text, "request_id");
  if (!id) return RequestId{};
  return RequestId{id->coordinator, id->incarnation, id->seq};
}

}  // namespace dsim::twopc::testing
