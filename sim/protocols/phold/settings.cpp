#include "protocols/phold/settings.h"

namespace dsim::phold {

const SettingTable& phold_setting_table() {
  static const SettingTable kTable({
      {.section = "protocol", .key = "tokens_per_node", .type = Setting::Type::kInteger,
       .fallback = int64_t{1}, .min = 1, .max = 1'000'000, .unit = "tokens",
       .meaning = "tokens each node starts with"},
  });
  return kTable;
}

PholdSettings read_phold_settings(ProtocolSettings& s) {
  PholdSettings out;
  out.tokens_per_node = phold_setting_table().integer(s.protocol, "tokens_per_node");
  return out;
}

}  // namespace dsim::phold
