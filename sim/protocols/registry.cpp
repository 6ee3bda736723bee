#include "protocols/registry.h"

#include <stdexcept>

#include "protocols/heartbeat/heartbeat.h"
#include "protocols/locks/locks_family.h"
#include "protocols/phold/phold.h"
#include "protocols/ring/ring_family.h"
#include "protocols/2pc/twopc.h"

namespace dsim {
namespace {

std::vector<ProtocolFamily>& families() {
  static std::vector<ProtocolFamily> all = {
      phold_family(),
      heartbeat_family(),
      ring_family(),
      locks_family(),
      twopc_family(),
  };
  return all;
}

}  // namespace

const std::vector<ProtocolFamily>& protocol_families() { return families(); }

void add_protocol_families(std::vector<ProtocolFamily> extra) {
  std::vector<ProtocolFamily>& all = families();
  for (ProtocolFamily& f : extra) {
    if (f.name.empty()) throw std::invalid_argument("a protocol family without a name");
    if (!f.configure) {
      throw std::invalid_argument("protocol family \"" + f.name + "\" has no configure function");
    }
    if (f.settings == nullptr) {
      throw std::invalid_argument("protocol family \"" + f.name + "\" has no settings table");
    }
    for (const ProtocolFamily& known : all) {
      if (known.name == f.name) {
        throw std::invalid_argument("protocol family \"" + f.name + "\" is already registered");
      }
    }
    all.push_back(std::move(f));
  }
}

}  // namespace dsim
