#include "protocols/registry.h"

#include "protocols/heartbeat/heartbeat.h"
#include "protocols/locks/locks_family.h"
#include "protocols/phold/phold.h"
#include "protocols/ring/ring_family.h"
#include "protocols/twopc/twopc.h"

namespace dsim {

const std::vector<ProtocolFamily>& protocol_families() {
  static const std::vector<ProtocolFamily> kFamilies = {
      phold_family(),
      heartbeat_family(),
      ring_family(),
      locks_family(),
      twopc_family(),
  };
  return kFamilies;
}

}  // namespace dsim
