#include "scenario/setting_table.h"

#include <algorithm>
#include <stdexcept>

#include "scenario/scenario_error.h"

namespace dsim {
namespace {

// "$.workload.script[3].transfer" -> "workload.script[].transfer"
std::string section_of(const std::string& path) {
  std::string out;
  for (size_t i = path.rfind("$.", 0) == 0 ? 2 : 0; i < path.size(); ++i) {
    out += path[i];
    if (path[i] != '[') continue;
    while (i + 1 < path.size() && path[i + 1] != ']') ++i;
  }
  return out;
}

// "a", "a and b", "a, b and c" (`word` "or": any one of them), so that the clause after
// the list is not read as one more item of it.
std::string listed(const std::vector<std::string>& items, const std::string& word) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " " + word + " " : ", ";
    out += items[i];
  }
  return out;
}

const char* plural(const std::vector<std::string>& items) { return items.size() == 1 ? "" : "s"; }

// "applies only to the variants a, b and c; this run's variant is d"
std::string variants_problem(const std::vector<std::string>& variants, const std::string& variant) {
  return std::string("applies only to the variant") + plural(variants) + " " + listed(variants, "and") +
         "; this run's variant is " + variant;
}

}  // namespace

void fail_role_count(const ConfigReader& any, const std::string& role, const std::string& problem) {
  // At the role's entry when the file has one; else at "nodes" (a role left out names no
  // path in the user's file).
  const Json* root = any.enclosing().empty() ? nullptr : any.enclosing().back();
  const bool written = root == nullptr || (root->contains("nodes") && (*root)["nodes"].is_object() &&
                                           (*root)["nodes"].contains(role));
  throw ScenarioError(any.file(), written ? "$.nodes." + role : "$.nodes", problem);
}

OrderedSetting::OrderedSetting(std::string k, Duration v, std::string computed)
    : key(std::move(k)), value(v.ns), text(format_duration(v)), computed_default(std::move(computed)) {}

OrderedSetting::OrderedSetting(std::string k, int64_t v, std::string computed)
    : key(std::move(k)), value(v), text(std::to_string(v)), computed_default(std::move(computed)) {}

OrderedSetting OrderedSetting::run_duration(Duration value) {
  OrderedSetting s("duration", value);
  s.of_run = true;
  return s;
}

void require_order(const ConfigReader& r, const OrderedSetting& low, SettingOrder order, const OrderedSetting& high,
                   Blame blame, const std::string& why) {
  const bool strict = order == SettingOrder::kBelow;
  if (strict ? low.value < high.value : low.value <= high.value) return;
  // The run's duration is a key of the scenario, the object around every section.
  const Json* root = r.enclosing().empty() ? nullptr : r.enclosing().back();
  auto by_set = [&](const OrderedSetting& s) {
    return s.of_run ? r.path_given_by_set("$." + s.key) : r.given_by_set(s.key);
  };
  auto in_file = [&](const OrderedSetting& s) {
    if (!s.of_run) return r.has(s.key);
    return root != nullptr && root->is_object() && root->contains(s.key) && !(*root)[s.key].is_null();
  };
  // The one the user changed: --set before the file, the file before a default.
  const bool low_set = by_set(low), high_set = by_set(high);
  bool at_low = blame == Blame::kLow;
  if (low_set != high_set) {
    at_low = low_set;
  } else if (in_file(low) != in_file(high)) {
    at_low = in_file(low);
  }
  const OrderedSetting& at = at_low ? low : high;
  const OrderedSetting& other = at_low ? high : low;
  auto source = [&](const OrderedSetting& s) -> std::string {
    if (by_set(s)) return "from --set";
    if (in_file(s)) return "";
    return s.computed_default.empty() ? "its default" : "its default: " + s.computed_default;
  };
  // A setting of the refused one's own section by its key; of another, by its path.
  std::string other_name = other.key;
  if (other.of_run) other_name = "the run's " + other.key;
  if (at.of_run) {
    const std::string path = r.key_path(other.key);  // "$.workload.random.start"
    other_name = path.rfind("$.", 0) == 0 ? path.substr(2) : path;
  }
  const char* relation = at_low ? (strict ? "less than " : "at most ") : (strict ? "more than " : "at least ");
  // The other value's origin is always named (the file, --set, or a default: the built-in
  // default scenario's values are no file's, as the user wrote none); the refused one's only
  // when it is not the file's (the error's location names the file, or "<built-in default>").
  const std::string other_source = source(other).empty() ? r.from_document() : source(other);
  const std::string at_source = source(at);
  std::string problem = "expected " + std::string(relation) + other_name + " (" + other.text + ", " +
                        other_source + "), got " + at.text;
  if (at_source == "from --set") {
    problem += " from --set";
  } else if (!at_source.empty()) {
    problem += " (" + at_source + ")";
  }
  if (at.of_run) throw ScenarioError(r.file(), "$." + at.key, problem + why);
  r.fail(at.key, problem + why);
}

std::string scope_problem(const std::string& why) {
  // null means "left out" (README), so `--set KEY=null` is how a user takes back a key of
  // a shipped scenario that a changed variant or checks no longer use.
  return "this setting " + why + "; leave it out, or set it to null";
}

const char* to_string(Setting::Type type) {
  switch (type) {
    case Setting::Type::kInteger:
      return "integer";
    case Setting::Type::kNumber:
      return "number";
    case Setting::Type::kDuration:
      return "duration";
    case Setting::Type::kBoolean:
      return "boolean";
    case Setting::Type::kChoice:
      return "choice";
    case Setting::Type::kString:
      return "string";
    case Setting::Type::kNames:
      return "names";
    case Setting::Type::kObject:
      return "object";
    case Setting::Type::kList:
      return "list";
  }
  return "?";
}

Json default_json(const Setting& s) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, Duration>) {
          return format_duration(v);
        } else {
          return v;
        }
      },
      s.fallback);
}

SettingTable::SettingTable(std::vector<Setting> settings) : settings_(std::move(settings)) {
  // A row scoped by a choice names a choice or a switch of its own section; one scoped by
  // a number, an integer or a number of its own section.
  for (const Setting& s : settings_) {
    if (!s.when_key.empty()) {
      const Setting* choice = find(s.section, s.when_key);
      if (choice == nullptr || (choice->type != Setting::Type::kChoice && choice->type != Setting::Type::kBoolean)) {
        throw std::logic_error("setting table: " + s.section + "." + s.key + " is scoped by " + s.when_key +
                               ", which is not a choice or a boolean of its section");
      }
    }
    if (!s.nonzero_key.empty()) {
      const Setting* number = find(s.section, s.nonzero_key);
      if (number == nullptr || (number->type != Setting::Type::kInteger && number->type != Setting::Type::kNumber)) {
        throw std::logic_error("setting table: " + s.section + "." + s.key + " is scoped by " + s.nonzero_key +
                               " being non-zero, which is not an integer or a number of its section");
      }
    }
  }
}

bool SettingTable::applies(const Setting& s, const std::string& variant) {
  return s.variants.empty() || std::find(s.variants.begin(), s.variants.end(), variant) != s.variants.end();
}

void SettingTable::check_only_in(const ConfigReader& r, const std::string& key, bool changed,
                                 const std::string& variant) const {
  const Setting& s = row(r, key);
  if (!changed || s.only_in.empty()) return;
  if (std::find(s.only_in.begin(), s.only_in.end(), variant) != s.only_in.end()) return;
  r.fail(key, scope_problem(variants_problem(s.only_in, variant)));
}

const Setting* SettingTable::find(const std::string& section, const std::string& key) const {
  for (const Setting& s : settings_) {
    if (s.section == section && s.key == key) return &s;
  }
  return nullptr;
}

const Setting& SettingTable::row(const ConfigReader& reader, const std::string& key) const {
  std::string section = section_of(reader.path());
  if (const Setting* s = find(section, key)) return *s;
  throw std::logic_error("setting table: no row for " + section + "." + key);
}

std::optional<std::string> SettingTable::choice_value(const Setting& choice, const Json& json) {
  if (json.is_object() && json.contains(choice.key)) {
    const Json& v = json[choice.key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  }
  if (const auto* text = std::get_if<std::string>(&choice.fallback)) return *text;
  if (const auto* flag = std::get_if<bool>(&choice.fallback)) return *flag ? "true" : "false";
  return std::nullopt;  // a computed default: the table cannot tell
}

std::optional<bool> SettingTable::nonzero_value(const Setting& number, const Json& json) {
  if (json.is_object() && json.contains(number.key) && json[number.key].is_number()) {
    return json[number.key].get<double>() != 0;
  }
  if (const auto* i = std::get_if<int64_t>(&number.fallback)) return *i != 0;
  if (const auto* d = std::get_if<double>(&number.fallback)) return *d != 0;
  return std::nullopt;  // a computed default: the table cannot tell
}

std::string SettingTable::inapplicable(const Setting& s, std::span<const Json* const> docs,
                                       const std::string& variant, const Cluster& cluster,
                                       const std::vector<std::string>* checks) const {
  static const Json kEmpty = Json::object();
  const Json& json = docs.empty() || docs[0] == nullptr ? kEmpty : *docs[0];
  if (!applies(s, variant)) {
    return variants_problem(s.variants, variant);
  }
  if (!s.when_key.empty()) {
    const Setting* choice = find(s.section, s.when_key);
    if (choice == nullptr) throw std::logic_error("setting table: no row for " + s.section + "." + s.when_key);
    if (applies(*choice, variant)) {
      std::optional<std::string> value = choice_value(*choice, json);
      if (!value) {
        return "applies only with " + s.when_key + " " + listed(s.when_values, "or") + ", and " + s.when_key +
               " is not given (its default is computed: " + choice->default_note + "); give it";
      }
      if (std::find(s.when_values.begin(), s.when_values.end(), *value) == s.when_values.end()) {
        return "applies only with " + s.when_key + " " + listed(s.when_values, "or") + ", not " + *value;
      }
    }
  }
  if (!s.nonzero_key.empty()) {
    const Setting* number = find(s.section, s.nonzero_key);
    std::optional<bool> nonzero = nonzero_value(*number, json);
    if (!nonzero) {
      return "applies only with " + s.nonzero_key + " above 0, and " + s.nonzero_key +
             " is not given (its default is computed: " + number->default_note + "); give it";
    }
    if (!*nonzero) return "applies only with " + s.nonzero_key + " above 0, not 0";
  }
  if (!s.checks.empty() && checks != nullptr &&
      std::none_of(s.checks.begin(), s.checks.end(), [&](const std::string& c) {
        return std::find(checks->begin(), checks->end(), c) != checks->end();
      })) {
    return "applies only with the check " + listed(s.checks, "or") + " in \"checks\"; this run's checks are " +
           (checks->empty() ? std::string("none") : listed(*checks, "and"));
  }
  if (!s.roles.empty() && std::none_of(s.roles.begin(), s.roles.end(), [&](const std::string& role) {
        return !cluster.with_role(role).empty();
      })) {
    return "applies only with nodes of the role " + listed(s.roles, "or") + " (in \"nodes\")";
  }
  // A nested section applies where the object row holding it does, judged on the object
  // that holds the section (its `when_key` choice is a sibling of the section's key).
  size_t dot = s.section.rfind('.');
  if (dot != std::string::npos && s.section.find('[') == std::string::npos) {
    if (const Setting* parent = find(s.section.substr(0, dot), s.section.substr(dot + 1))) {
      std::string why = inapplicable(*parent, docs.empty() ? docs : docs.subspan(1), variant, cluster, checks);
      if (!why.empty()) return "is part of " + parent->section + "." + parent->key + ", which " + why;
    }
  }
  return "";
}

bool SettingTable::applies(const ConfigReader& r, const std::string& key, const std::string& variant,
                           const Cluster& cluster, const std::vector<std::string>* checks) const {
  return inapplicable(row(r, key), documents(r), variant, cluster, checks).empty();
}

std::vector<const Json*> SettingTable::documents(const ConfigReader& r) {
  std::vector<const Json*> docs{&r.json()};
  docs.insert(docs.end(), r.enclosing().begin(), r.enclosing().end());
  return docs;
}

void SettingTable::refuse_inapplicable(ConfigReader& r, const std::string& variant, const Cluster& cluster,
                                       const std::vector<std::string>* checks) const {
  if (!r.json().is_object()) return;
  std::string section = section_of(r.path());
  const std::vector<const Json*> docs = documents(r);
  // `--set checks=[...]` chooses some of the checks for this run: a check's bound that the
  // file gives for a check left out is not the user's change, so it stays, unused (read,
  // so its value is still checked, and otherwise ignored).
  const bool checks_by_set = checks != nullptr && r.path_given_by_set("$.checks");
  std::vector<std::string> unused;
  for (auto it = r.json().begin(); it != r.json().end(); ++it) {
    const Setting* s = find(section, it.key());
    // null is the same as leaving the key out (README), so `--set KEY=null` can take back
    // a setting that does not apply to this run.
    if (s == nullptr || it.value().is_null()) continue;
    std::string why = inapplicable(*s, docs, variant, cluster, checks);
    if (why.empty()) continue;
    const bool only_for_checks = inapplicable(*s, docs, variant, cluster, nullptr).empty();
    if (only_for_checks && checks_by_set) {
      if (!r.given_by_set(it.key())) {
        // The file's own checks leave that check out too: the file's mistake, refused as
        // it is without --set, naming the file's checks.
        const std::vector<std::string>* own = r.file_checks();
        std::string why_in_file = own == nullptr ? "" : inapplicable(*s, docs, variant, cluster, own);
        if (!why_in_file.empty()) {
          const std::string run_checks = "this run's checks are";
          if (auto at = why_in_file.find(run_checks); at != std::string::npos) {
            why_in_file.replace(at, run_checks.size(), "the file's own checks are");
          }
          r.fail(it.key(), scope_problem(why_in_file + ", whatever --set checks chooses"));
        }
        unused.push_back(it.key());
        continue;
      }
      // Both changed on the command line: name both values.
      const Json* root = r.enclosing().empty() ? nullptr : r.enclosing().back();
      const std::string chosen = root != nullptr && root->contains("checks") ? root->at("checks").dump() : "null";
      const std::string path = r.key_path(it.key());  // "$.protocol.liveness_bound"
      r.fail(it.key(), "--set " + path.substr(path.rfind("$.", 0) == 0 ? 2 : 0) + "=" + it.value().dump() + " " +
                           why + " (from --set checks=" + chosen + "); leave it out, or keep its check");
    }
    r.fail(it.key(), scope_problem(why));
  }
  for (const std::string& key : unused) validate(r, row(r, key));
}

void SettingTable::validate(ConfigReader& r, const Setting& s) const {
  switch (s.type) {
    case Setting::Type::kInteger:
      r.integer(s.key, 0, s.min, s.max);
      break;
    case Setting::Type::kNumber:
      r.number(s.key, 0, s.low, s.high);
      break;
    case Setting::Type::kDuration:
      checked(r, s, r.duration(s.key, Duration::zero()));
      break;
    case Setting::Type::kBoolean:
      r.boolean(s.key, false);
      break;
    case Setting::Type::kChoice:
      r.choice(s.key, s.choices, s.choices.empty() ? "" : s.choices.front());
      break;
    case Setting::Type::kString:
      r.string(s.key, "");
      break;
    default:  // names, objects and lists: known, their contents unused
      r.accept(s.key);
      break;
  }
}

const Setting& SettingTable::typed_row(const ConfigReader& r, const std::string& key,
                                       Setting::Type type) const {
  const Setting& s = row(r, key);
  if (s.type != type) {
    throw std::logic_error("setting table: " + s.section + "." + key + " is a " + to_string(s.type) +
                           ", read as a " + to_string(type));
  }
  return s;
}

int64_t SettingTable::integer(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kInteger);
  return r.integer(key, std::get<int64_t>(s.fallback), s.min, s.max);
}

int64_t SettingTable::integer(ConfigReader& r, const std::string& key, int64_t fallback) const {
  const Setting& s = typed_row(r, key, Setting::Type::kInteger);
  return r.integer(key, fallback, s.min, s.max);
}

double SettingTable::number(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kNumber);
  return r.number(key, std::get<double>(s.fallback), s.low, s.high);
}

// A positive row's bad text is refused as "expected a positive duration ..." too.
std::optional<Duration> SettingTable::read(ConfigReader& r, const Setting& s) const {
  return r.read_duration(s.key, s.positive ? ConfigReader::DurationSign::kPositive
                                           : ConfigReader::DurationSign::kNonNegative);
}

Duration SettingTable::checked(ConfigReader& r, const Setting& s, Duration d) const {
  if (s.positive && d.ns <= 0) r.fail(s.key, "expected a positive duration");
  if (d < s.period_min) {
    r.fail(s.key, "expected at least " + format_duration(s.period_min) + ", got " + format_duration(d) +
                      ": it is the period of a timer that repeats, and a shorter one means nothing for the "
                      "modelled system and only spins the simulation");
  }
  return d;
}

Duration SettingTable::duration(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kDuration);
  return checked(r, s, read(r, s).value_or(std::get<Duration>(s.fallback)));
}

Duration SettingTable::duration(ConfigReader& r, const std::string& key, Duration fallback) const {
  const Setting& s = typed_row(r, key, Setting::Type::kDuration);
  return checked(r, s, read(r, s).value_or(fallback));
}

std::optional<Duration> SettingTable::optional_duration(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kDuration);
  std::optional<Duration> d = read(r, s);
  if (d) checked(r, s, *d);
  return d;
}

bool SettingTable::boolean(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kBoolean);
  return r.boolean(key, std::get<bool>(s.fallback));
}

std::string SettingTable::choice(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kChoice);
  return r.choice(key, s.choices, std::get<std::string>(s.fallback));
}

Json SettingTable::to_json() const {
  Json out = Json::array();
  for (const Setting& s : settings_) {
    Json row = Json::object();
    row["section"] = s.section;
    row["key"] = s.key;
    row["type"] = to_string(s.type);
    row["default"] = default_json(s);
    if (!s.default_note.empty()) row["default_note"] = s.default_note;
    if (s.type == Setting::Type::kInteger) {
      row["min"] = s.min;
      row["max"] = s.max;
    }
    if (s.type == Setting::Type::kNumber) {
      row["min"] = s.low;
      row["max"] = s.high;
    }
    if (s.type == Setting::Type::kDuration) row["positive"] = s.positive;
    if (s.period_min.ns > 0) row["period_min"] = format_duration(s.period_min);
    if (s.type == Setting::Type::kChoice) row["choices"] = s.choices;
    if (!s.variants.empty()) row["variants"] = s.variants;
    if (!s.only_in.empty()) row["only_in"] = s.only_in;
    if (!s.when_key.empty()) {
      // A switch's values as booleans (true), a choice's as its words.
      Json values = Json::array();
      const bool flag = find(s.section, s.when_key)->type == Setting::Type::kBoolean;
      for (const std::string& v : s.when_values) values.push_back(flag ? Json(v == "true") : Json(v));
      row["when"] = Json::object({{s.when_key, values}});
    }
    if (!s.nonzero_key.empty()) row["when_nonzero"] = s.nonzero_key;
    if (!s.roles.empty()) row["roles"] = s.roles;
    if (!s.checks.empty()) row["checks"] = s.checks;
    if (!s.unit.empty()) row["unit"] = s.unit;
    row["meaning"] = s.meaning;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace dsim
