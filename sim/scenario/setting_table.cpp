#include "scenario/setting_table.h"

#include <algorithm>
#include <stdexcept>

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

}  // namespace

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

SettingTable::SettingTable(std::vector<Setting> settings) : settings_(std::move(settings)) {}

bool SettingTable::applies(const Setting& s, const std::string& variant) {
  return s.variants.empty() || std::find(s.variants.begin(), s.variants.end(), variant) != s.variants.end();
}

void SettingTable::check_only_in(const ConfigReader& r, const std::string& key, bool changed,
                                 const std::string& variant) const {
  const Setting& s = row(r, key);
  if (!changed || s.only_in.empty()) return;
  if (std::find(s.only_in.begin(), s.only_in.end(), variant) != s.only_in.end()) return;
  std::string list;
  for (const std::string& v : s.only_in) list += (list.empty() ? "" : ", ") + v;
  r.fail(key, "applies only to " + list);
}

const Setting& SettingTable::row(const ConfigReader& reader, const std::string& key) const {
  std::string section = section_of(reader.path());
  for (const Setting& s : settings_) {
    if (s.section == section && s.key == key) return s;
  }
  throw std::logic_error("setting table: no row for " + section + "." + key);
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

Duration SettingTable::checked(ConfigReader& r, const Setting& s, Duration d) const {
  if (s.positive && d.ns <= 0) r.fail(s.key, "expected a positive duration");
  return d;
}

Duration SettingTable::duration(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kDuration);
  return checked(r, s, r.duration(key, std::get<Duration>(s.fallback)));
}

Duration SettingTable::duration(ConfigReader& r, const std::string& key, Duration fallback) const {
  const Setting& s = typed_row(r, key, Setting::Type::kDuration);
  return checked(r, s, r.duration(key, fallback));
}

std::optional<Duration> SettingTable::optional_duration(ConfigReader& r, const std::string& key) const {
  const Setting& s = typed_row(r, key, Setting::Type::kDuration);
  std::optional<Duration> d = r.optional_duration(key);
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
    if (s.type == Setting::Type::kChoice) row["choices"] = s.choices;
    if (!s.variants.empty()) row["variants"] = s.variants;
    if (!s.only_in.empty()) row["only_in"] = s.only_in;
    if (!s.unit.empty()) row["unit"] = s.unit;
    row["meaning"] = s.meaning;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace dsim
