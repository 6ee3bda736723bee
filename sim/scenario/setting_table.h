// A protocol family's settings, each stated once: its section and key, type, default,
// range, unit and meaning. The family's settings reader reads every value through the
// table (so the default and the range it applies are the table's), and `dsim describe`
// lists the same table, so what is described is what the loader accepts.
//
// Usage:
//   const SettingTable& t = heartbeat_setting_table();
//   Duration interval = t.duration(s.protocol, "interval");   // default, range: the table's
//
// A reader's section is found from its JSON path: "$.protocol" reads the "protocol" rows,
// "$.workload.random" the "workload.random" rows, "$.workload.script[3]" the
// "workload.script[]" rows. Asking for a key the table lacks, or with the wrong type, is a
// bug in the family (std::logic_error, exit 70), never a user's error.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/cluster.h"
#include "core/json.h"
#include "core/time.h"
#include "scenario/config_reader.h"

namespace dsim {

// The shortest period a timer that repeats may be set to. Every modelled period (a
// heartbeat, a retry, a lease renewal, a scan) is milliseconds or more in the systems
// modelled; a shorter one means nothing for them and only spins the event loop (a "1ns"
// heartbeat is a billion events per simulated second per node), so it is refused at load.
inline constexpr Duration kPeriodFloor = Duration::millis(1);

struct Setting {
  enum class Type {
    kInteger,   // min..max
    kNumber,    // low..high
    kDuration,  // "150ms", or integer nanoseconds; `positive`: > 0
    kBoolean,
    kChoice,    // one of `choices`
    kString,
    kNames,     // a name (of a node, an account...) or a list of them
    kObject,    // a nested object, with its own rows (section "SECTION.key")
    kList,      // a list of objects, with its own rows (section "SECTION.key[]")
  };
  using Value = std::variant<std::monostate, int64_t, double, Duration, bool, std::string>;

  std::string section{};     // "protocol", "workload", "workload.random", ...
  std::string key{};
  Type type = Type::kInteger;
  Value fallback{};          // the default; monostate when it is computed or there is none
  std::string default_note{};  // a computed default, in words: "replicas / 2 + 1"
  int64_t min = 0, max = 0;  // kInteger
  double low = 0, high = 0;  // kNumber
  bool positive = false;     // kDuration
  // kDuration: the value drives a timer that repeats (directly, or a fraction of it, as a
  // lease renewed every ttl/3); refused below this. Zero: not a period.
  Duration period_min{};
  std::vector<std::string> choices{}; // kChoice
  std::vector<std::string> variants{};  // the variants that read it; empty: every variant
  std::vector<std::string> only_in{};  // other variants refuse a value other than the default
  // Applies only where the choice `when_key` of the same section (a recipe, a mode) is one
  // of `when_values`; a variant the choice does not apply to is not restricted by it. The
  // key may also name a boolean of the section (a mistake switch): `when_values` {"true"}.
  // When the choice is not given and its default is computed, the row is refused (the
  // table cannot tell what the default will be).
  std::string when_key{};
  std::vector<std::string> when_values{};
  // Applies only when the integer or number `nonzero_key` of the same section is not 0
  // (locks' write_time does nothing with writes 0). A computed default counts as not given,
  // as for `when_key`.
  std::string nonzero_key{};
  // Applies only when the scenario runs one of these checks (a check's bound, such as the
  // ring's availability_min); empty: always.
  std::vector<std::string> checks{};
  // Applies only when the scenario has nodes of one of these roles; empty: always.
  std::vector<std::string> roles{};
  std::string unit{};        // of an integer or number: "keys", "ops/s", "fraction"
  std::string meaning{};     // one line
};

// `s` as a period: the row of a duration that drives a timer that repeats, floored at
// kPeriodFloor.
inline Setting as_period(Setting s) {
  s.period_min = kPeriodFloor;
  return s;
}

class SettingTable {
 public:
  explicit SettingTable(std::vector<Setting> settings);

  const std::vector<Setting>& settings() const { return settings_; }
  // The row of `key` in the section `reader` reads; throws std::logic_error when absent.
  const Setting& row(const ConfigReader& reader, const std::string& key) const;
  // Whether the row applies to `variant` (its `variants` is empty or lists it).
  static bool applies(const Setting& s, const std::string& variant);
  // Whether the row of `key` in `r`'s section applies to this run: to its variant, to the
  // value its `when_key` choice (or `nonzero_key` number) has in `r` (or its default), to
  // its cluster's roles, to the checks it runs (`checks`, the run's checks; null: not known,
  // as in a unit test's reader, and every check counts as running), and (for a nested
  // section) whether the object row holding it applies, judged on the object holding the
  // section (r.enclosing()).
  bool applies(const ConfigReader& r, const std::string& key, const std::string& variant, const Cluster& cluster,
               const std::vector<std::string>* checks = nullptr) const;
  // Refuses (ScenarioError at the key's path) the first key present in `r` whose row does
  // not apply to this run, saying what it applies to ("this setting applies only ...").
  // Keys without a row are left to ConfigReader::finish(). Call before reading the section.
  // One exception: when the run's checks come from --set ("--set checks=[...]" chooses a
  // subset), a check's bound the file gives for a check left out is kept, unused: its
  // value is checked and the key marked known, and `applies` stays false for it. A bound
  // that --set gives too is refused, naming both values; so is one for a check the file's
  // own checks leave out too (r.file_checks()), as it is without --set.
  void refuse_inapplicable(ConfigReader& r, const std::string& variant, const Cluster& cluster,
                           const std::vector<std::string>* checks = nullptr) const;
  // Refuses (ScenarioError) a setting switched away from its default in a variant outside
  // the row's `only_in`: a switch with no meaning there is an error, not a silent no-op.
  void check_only_in(const ConfigReader& r, const std::string& key, bool changed,
                     const std::string& variant) const;

  // Each reads the key with the row's default and range (or `fallback` for a row whose
  // default is computed), and throws ScenarioError naming the JSON path when it is bad.
  int64_t integer(ConfigReader& r, const std::string& key) const;
  int64_t integer(ConfigReader& r, const std::string& key, int64_t fallback) const;
  double number(ConfigReader& r, const std::string& key) const;
  Duration duration(ConfigReader& r, const std::string& key) const;
  Duration duration(ConfigReader& r, const std::string& key, Duration fallback) const;
  std::optional<Duration> optional_duration(ConfigReader& r, const std::string& key) const;
  bool boolean(ConfigReader& r, const std::string& key) const;
  std::string choice(ConfigReader& r, const std::string& key) const;

  // The table as JSON, for `dsim describe --json`: one object per row.
  Json to_json() const;

 private:
  const Setting& typed_row(const ConfigReader& r, const std::string& key, Setting::Type type) const;
  Duration checked(ConfigReader& r, const Setting& s, Duration d) const;
  std::optional<Duration> read(ConfigReader& r, const Setting& s) const;
  // Reads the key of row `s` in `r` for its type and range only, marking it known.
  void validate(ConfigReader& r, const Setting& s) const;
  const Setting* find(const std::string& section, const std::string& key) const;
  // Why `s` does not apply ("applies only to variants a, b"), or "" when it does. `docs`
  // are the object of its section in the scenario, then the objects enclosing it,
  // innermost first (for `when_key`, and the rows of enclosing sections).
  std::string inapplicable(const Setting& s, std::span<const Json* const> docs, const std::string& variant,
                           const Cluster& cluster, const std::vector<std::string>* checks) const;
  // r's object, then r.enclosing().
  static std::vector<const Json*> documents(const ConfigReader& r);
  // The value of the choice or switch `choice` in `json` as text ("etcd_mutex", "true"),
  // else its default; nullopt when absent and its default is computed.
  static std::optional<std::string> choice_value(const Setting& choice, const Json& json);
  // Whether the integer or number `number` is non-zero in `json`, else by its default;
  // nullopt when absent and its default is computed.
  static std::optional<bool> nonzero_value(const Setting& number, const Json& json);

  std::vector<Setting> settings_;
};

// Refuses (ScenarioError) a count of nodes of `role`, at the role's entry in "nodes"
// ("$.nodes.replica"), where the user changes it, or at "$.nodes" when the file has no
// entry for the role. `any` (a reader of a section of the scenario) gives the file's name
// and, through enclosing(), the scenario.
[[noreturn]] void fail_role_count(const ConfigReader& any, const std::string& role, const std::string& problem);

// One side of a rule between two settings of a section: its key and value, and, when
// its default is computed rather than constant, how ("duration - 1s"). Or the run's own
// "duration" ($.duration, run_duration()), which a workload's window must start before.
struct OrderedSetting {
  OrderedSetting(std::string key, Duration value, std::string computed_default = "");
  OrderedSetting(std::string key, int64_t value, std::string computed_default = "");
  OrderedSetting(std::string key, size_t value, std::string computed_default = "")
      : OrderedSetting(std::move(key), static_cast<int64_t>(value), std::move(computed_default)) {}
  // The scenario's "duration" (the run's length), as read by the loader.
  static OrderedSetting run_duration(Duration value);
  std::string key;
  int64_t value;      // ns for a duration
  std::string text;   // as a scenario writes it: "100ms", "3"
  std::string computed_default;
  bool of_run = false;  // key is a key of the scenario ("$.duration"), not of the section
};
// kBelow: low < high (a timeout longer than its interval); kAtMost: low <= high (min, max).
enum class SettingOrder { kBelow, kAtMost };
// Which of the pair a refusal names when the user wrote both or neither in the file.
enum class Blame { kLow, kHigh };

// Refuses (ScenarioError) two settings of r's section (or one and the run's duration)
// unless `low` is below (or at most) `high`, at the setting the user changed: the one
// --set gave when --set gave only one of them, else the one the file gives when it gives
// only one, else the `blame`d one. The problem names the other setting with its value and
// where that came from ("from the file", "from --set", "its default", or "from the built-in
// default scenario" for `dsim run` without a file: ConfigReader::from_document), then the refused
// value and where it came from (nothing for the file), then `why`
// (", or ..."): "expected more than interval (100ms, its default), got 50ms from --set".
// A setting of another section is named by its path ("the run's duration",
// "workload.random.start"). Does nothing when the order holds.
void require_order(const ConfigReader& r, const OrderedSetting& low, SettingOrder order, const OrderedSetting& high,
                   Blame blame, const std::string& why = "");
// The one wording of a scope refusal, one sentence: "this setting WHY; leave it out, or
// set it to null", where WHY is "applies only to the variants a and b; this run's variant
// is c", "applies only with recipe x, not y", ...
std::string scope_problem(const std::string& why);

// "integer", "duration", ...
const char* to_string(Setting::Type type);
// The default as a scenario would write it ("100ms", 3, true), or null when computed.
Json default_json(const Setting& s);

}  // namespace dsim
