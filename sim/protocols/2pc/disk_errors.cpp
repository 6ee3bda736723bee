#include "protocols/2pc/disk_errors.h"

#include "protocols/2pc/records.h"

namespace dsim::twopc {

Payload decode_without_checksum(const Payload& torn) {
  if (const auto* p = torn.as<rec::Prepared>()) {
    rec::Prepared garbage;
    garbage.tx = p->tx;
    garbage.coordinator = NodeId{0};
    garbage.cluster = p->cluster;
    return Payload(std::move(garbage));
  }
  if (const auto* c = torn.as<rec::Commit>()) {
    rec::Commit garbage{c->tx, c->deltas};
    for (auto& [account, delta] : garbage.deltas) delta = 0;
    return Payload(std::move(garbage));
  }
  return torn;
}

TxId record_tx(const Payload& record) {
  if (const auto* p = record.as<rec::Prepared>()) return p->tx;
  if (const auto* p = record.as<rec::PreCommit>()) return p->tx;
  if (const auto* c = record.as<rec::Commit>()) return c->tx;
  if (const auto* a = record.as<rec::Abort>()) return a->tx;
  return TxId{};
}

}  // namespace dsim::twopc
