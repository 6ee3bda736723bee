// The family entry: its name, settings, roles and check, as dsim's registry sees them.
#include "primary_backup.h"

#include "scenario/scenario_error.h"
#include "scenario/setting_table.h"

namespace primary_backup {
namespace {

using dsim::Duration;
using dsim::Setting;

const dsim::SettingTable& setting_table() {
  static const dsim::SettingTable kTable({
      {.section = "protocol", .key = "ack_before_backup", .type = Setting::Type::kBoolean,
       .fallback = false,
       .meaning = "the mistake: acknowledge a write before the backup has it"},
      {.section = "workload", .key = "think_time", .type = Setting::Type::kDuration,
       .fallback = Duration::millis(20), .positive = true,
       .meaning = "a client's mean pause between operations (uniform in [t/2, 3t/2))"},
      {.section = "workload", .key = "request_timeout", .type = Setting::Type::kDuration,
       .fallback = Duration::millis(200), .positive = true,
       .meaning = "a client gives up on a reply after this and goes on"},
  });
  return kTable;
}

// The family's checks, each named once (scenario/check_table.h). This check needs nothing
// from the run.
struct CheckInputs {};
constexpr dsim::CheckRow<CheckInputs> kChecks[] = {
    {"no_stale_read", "a read that starts after a write was acknowledged returns that write or a later one",
     true, [](const CheckInputs&) { return make_no_stale_read_check(); }},
};

class Run final : public dsim::ProtocolRun {
 public:
  Run(Settings s, dsim::NodeId primary, dsim::NodeId backup) : s_(s), primary_(primary), backup_(backup) {}

  std::unique_ptr<dsim::Process> make_process(dsim::NodeId node) override {
    if (node == primary_) return make_primary(s_, backup_);
    if (node == backup_) return make_backup();
    return make_client(s_, primary_, backup_);
  }
  std::unique_ptr<dsim::Checker> make_checker(const std::string& check) override {
    return dsim::make_check(kChecks, check, CheckInputs{});
  }
  // Each client has one operation in flight (two messages, or four for a write) per
  // think time; the state is a few numbers per node and the check's map of versions.
  dsim::FamilyLoad estimate_load(const dsim::LoadInputs& in) const override {
    const double clients = static_cast<double>(in.cluster.size() - 2);
    const double ops_per_s = clients / (static_cast<double>(s_.think_time.ns) * 1e-9);
    dsim::FamilyLoad load;
    load.messages_per_second = 3 * ops_per_s;
    load.state_bytes = 256 * static_cast<double>(in.cluster.size()) +
                       48 * ops_per_s * static_cast<double>(in.duration.ns) * 1e-9;
    load.timers_pending = 2 * clients;
    return load;
  }

 private:
  Settings s_;
  dsim::NodeId primary_, backup_;
};

// Exactly one node of `role`; a clear error naming the scenario's nodes otherwise.
dsim::NodeId the_one(const dsim::ProtocolSettings& s, const std::string& role) {
  const auto& nodes = s.cluster.with_role(role);
  if (nodes.size() != 1) {
    throw dsim::ScenarioError(s.protocol.file(), "$.nodes",
                              "expected exactly one \"" + role + "\" node, found " +
                                  std::to_string(nodes.size()));
  }
  return nodes[0];
}

}  // namespace

dsim::ProtocolFamily family() {
  dsim::ProtocolFamily f;
  f.name = "primary_backup";
  f.summary = "a primary-backup register: writes through the primary, reads from the backup";
  f.variants = {"standard"};
  f.checks = dsim::check_infos(kChecks);
  f.settings = &setting_table();
  f.configure = [](dsim::ProtocolSettings& s) -> std::unique_ptr<dsim::ProtocolRun> {
    const dsim::SettingTable& t = setting_table();
    Settings settings;
    settings.ack_before_backup = t.boolean(s.protocol, "ack_before_backup");
    settings.think_time = t.duration(s.workload, "think_time");
    settings.request_timeout = t.duration(s.workload, "request_timeout");
    dsim::NodeId primary = the_one(s, "primary");
    dsim::NodeId backup = the_one(s, "backup");
    if (s.cluster.size() - s.cluster.with_role("client").size() != 2) {
      throw dsim::ScenarioError(s.protocol.file(), "$.nodes",
                                "expected roles \"primary\", \"backup\" and \"client\" only");
    }
    if (s.cluster.with_role("client").empty()) {
      throw dsim::ScenarioError(s.protocol.file(), "$.nodes", "expected at least one \"client\" node");
    }
    return std::make_unique<Run>(settings, primary, backup);
  };
  return f;
}

}  // namespace primary_backup
