#include "protocols/heartbeat/settings.h"

namespace dsim::heartbeat {

const SettingTable& heartbeat_setting_table() {
  static const SettingTable kTable({
      {.section = "protocol", .key = "interval", .type = Setting::Type::kDuration,
       .fallback = Duration::millis(100), .positive = true, .period_min = kPeriodFloor,
       .meaning = "each node sends a heartbeat to every other node this often"},
      {.section = "protocol", .key = "timeout", .type = Setting::Type::kDuration,
       .fallback = Duration::millis(500), .positive = true,
       .meaning = "a peer silent this long is suspected (longer than interval)"},
  });
  return kTable;
}

HeartbeatSettings read_heartbeat_settings(ProtocolSettings& s) {
  HeartbeatSettings hs;
  const SettingTable& table = heartbeat_setting_table();
  hs.interval = table.duration(s.protocol, "interval");
  hs.timeout = table.duration(s.protocol, "timeout");
  require_order(s.protocol, {"interval", hs.interval}, SettingOrder::kBelow, {"timeout", hs.timeout}, Blame::kHigh);
  return hs;
}

}  // namespace dsim::heartbeat
