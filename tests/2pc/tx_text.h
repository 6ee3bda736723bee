// Tests write a transaction id as its trace text ("coord.0.1"); tx_id() reads one back
// as the TxId the family uses, naming its coordinator through `cluster`.
#pragma once

#include <charconv>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "core/cluster.h"
#include "protocols/2pc/tx_id.h"

namespace dsim::twopc::testing {

inline TxId tx_id(const Cluster& cluster, std::string_view text) {
  if (text.empty()) return TxId{};
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
  ADD_FAILURE() << "tx_id(): not <node>.<incarnation>.<seq> of this cluster: " << text;
  return TxId{};
}

}  // namespace dsim::twopc::testing
