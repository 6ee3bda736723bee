#include "scenario/config_reader.h"

#include <algorithm>
#include <cmath>

#include "core/duration_text.h"

namespace dsim {
namespace {
// The hint for a list given as one string: ["crash"] for a list of one, or, for names
// joined by commas or spaces ("crash,pause"), the list of those names.
std::string list_hint(const std::string& text) {
  std::vector<std::string> names;
  std::string name;
  for (char c : text + ",") {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!name.empty()) names.push_back(std::move(name));
      name.clear();
    } else {
      name.push_back(c);
    }
  }
  if (names.size() > 1) return "write " + Json(names).dump() + " for a list";
  return "write [" + Json(text).dump() + "] for a list of one";
}

const Json& empty_object() {
  static const Json kEmpty = Json::object();
  return kEmpty;
}
}  // namespace

std::optional<int64_t> whole_number(const Json& v) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  // JSON has one kind of number, and JSON Schema's "integer" is any number whose fraction
  // is zero: 3.0 and 3e0 are the integer 3 for the schema, so for dsim too. The bound
  // keeps the cast defined (int64 ends at about 9.22e18).
  if (v.is_number_float()) {
    const double x = v.get<double>();
    if (std::floor(x) == x && std::fabs(x) < 9.2e18) return static_cast<int64_t>(x);
  }
  return std::nullopt;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // Close enough to be a typo: at most a third of the word, and at least 2 edits allowed.
  size_t allowed = std::max<size_t>(2, word.size() / 3);
  return best_distance <= allowed ? best : "";
}

ConfigReader::ConfigReader(const Json& value, std::string file, std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {
  if (value_->is_null()) value_ = &empty_object();
  if (!value_->is_object()) fail_here("expected an object, got " + describe(*value_));
}

// Given: present and not null (null is the key left out, for has() as for the getters).
bool ConfigReader::has(const std::string& key) const {
  auto it = value_->find(key);
  return it != value_->end() && !it->is_null();
}

bool ConfigReader::given_by_set(const std::string& key) const {
  return has(key) && path_given_by_set(key_path(key));
}

bool ConfigReader::path_given_by_set(const std::string& path) const {
  if (overridden_ == nullptr) return false;
  for (const std::string& o : *overridden_) {
    // The key itself, or an object or list around it ("$.protocol" holds "$.protocol.x").
    if (path.rfind(o, 0) == 0 && (path.size() == o.size() || path[o.size()] == '.' || path[o.size()] == '[')) {
      return true;
    }
  }
  return false;
}

std::string ConfigReader::key_path(const std::string& key) const { return path_ + "." + key; }

void ConfigReader::fail(const std::string& key, const std::string& problem) const {
  throw ScenarioError(file_, key_path(key), problem);
}

void ConfigReader::fail_here(const std::string& problem) const {
  throw ScenarioError(file_, path_, problem);
}

std::optional<std::string> ConfigReader::rounded_text(const std::string& path) const {
  if (rounded_ == nullptr) return std::nullopt;
  auto it = rounded_->find(path);
  if (it == rounded_->end()) return std::nullopt;
  return it->second;
}

std::string ConfigReader::not_whole_number(const std::string& text, const Json& nearest) {
  return text + ", which is not a whole number (an integer is read exactly, never rounded: JSON readers "
                "take the nearest double, " + nearest.dump() + ")";
}

void ConfigReader::refuse_rounded(const std::string& key, const std::string& expected) const {
  std::optional<std::string> text = rounded_text(key_path(key));
  if (!text) return;
  fail(key, "expected " + expected + ", got " + *text + from_set(key) + not_whole_number("", value_->at(key)));
}

std::string ConfigReader::from_set(const std::string& key) const { return given_by_set(key) ? " from --set" : ""; }

std::string ConfigReader::describe(const Json& v) const {
  std::string text = v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  const char* type = v.is_string()    ? "string "
                     : v.is_boolean() ? "boolean "
                     : v.is_number()  ? "number "
                     : v.is_array()   ? "array "
                     : v.is_object()  ? "object "
                                      : "";
  return std::string(type) + text;
}

const Json* ConfigReader::get(const std::string& key) {
  known_.insert(key);
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<int64_t> ConfigReader::optional_integer(const std::string& key, int64_t min,
                                                      int64_t max) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  std::string range = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  refuse_rounded(key, range);
  std::optional<int64_t> whole = whole_number(*v);
  if (!whole) {
    const bool whole_float = v->is_number_float() && std::floor(v->get<double>()) == v->get<double>();
    fail(key, "expected " + range + ", got " + describe(*v) + from_set(key) +
                  (whole_float ? " (a number with a fraction or exponent is read as the nearest double; write "
                                 "an integer as digits alone)"
                               : ""));
  }
  const int64_t out = *whole;
  if (out < min || out > max) fail(key, "expected " + range + ", got " + describe(*v) + from_set(key));
  return out;
}

int64_t ConfigReader::integer(const std::string& key, int64_t fallback, int64_t min,
                              int64_t max) {
  return optional_integer(key, min, max).value_or(fallback);
}

double ConfigReader::number(const std::string& key, double fallback, double min, double max) {
  const Json* v = get(key);
  if (v == nullptr) return fallback;
  char range[96];
  snprintf(range, sizeof range, "a number from %g to %g", min, max);
  if (!v->is_number()) fail(key, std::string("expected ") + range + ", got " + describe(*v));
  double out = v->get<double>();
  if (!(out >= min && out <= max)) {
    fail(key, std::string("expected ") + range + ", got " + describe(*v));
  }
  return out;
}

bool ConfigReader::boolean(const std::string& key, bool fallback) {
  const Json* v = get(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) fail(key, "expected true or false, got " + describe(*v));
  return v->get<bool>();
}

std::optional<std::string> ConfigReader::optional_string(const std::string& key) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) fail(key, "expected a string, got " + describe(*v));
  return v->get<std::string>();
}

std::string ConfigReader::string(const std::string& key, const std::string& fallback) {
  return optional_string(key).value_or(fallback);
}

std::string ConfigReader::choice(const std::string& key, const std::vector<std::string>& choices,
                                 const std::string& fallback) {
  std::string v = string(key, fallback);
  if (std::find(choices.begin(), choices.end(), v) != choices.end()) return v;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  std::string hint = closest_match(v, choices);
  fail(key, "expected one of " + list + ", got \"" + v + "\"" +
                (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
}

std::optional<Duration> ConfigReader::optional_duration(const std::string& key,
                                                        bool allow_negative) {
  return read_duration(key, allow_negative ? DurationSign::kAny : DurationSign::kNonNegative);
}

Duration ConfigReader::positive_duration(const std::string& key, Duration fallback) {
  return read_duration(key, DurationSign::kPositive).value_or(fallback);
}

std::optional<Duration> ConfigReader::read_duration(const std::string& key, DurationSign sign) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  const bool allow_negative = sign == DurationSign::kAny;
  const char* expected = allow_negative ? "a duration of at most 365 days either way, such as \"150ms\", "
                                          "\"-2s\" or integer nanoseconds"
                         : sign == DurationSign::kPositive
                             ? "a positive duration of at most 365 days, such as \"150ms\", "
                               "\"2s\" or integer nanoseconds"
                             : "a non-negative duration of at most 365 days, such as \"150ms\", "
                               "\"2s\" or integer nanoseconds";
  std::optional<Duration> d;
  if (v->is_string()) {
    DurationText text = read_duration_text(v->get<std::string>());
    if (text.error == DurationTextError::kNotWholeNanoseconds) {
      fail(key, std::string("expected ") + expected + ", got " + describe(*v) + from_set(key) +
                    ", which is not a whole number of nanoseconds (durations are exact to the "
                    "nanosecond and never rounded; write fewer fraction digits or a smaller unit)");
    }
    d = text.value;
  } else {
    refuse_rounded(key, expected);
    // integer nanoseconds, written 150 or 150.0 alike (README)
    if (std::optional<int64_t> ns = whole_number(*v)) d = Duration{*ns};
  }
  if (!d) fail(key, std::string("expected ") + expected + ", got " + describe(*v) + from_set(key));
  if (!allow_negative && d->ns < 0) {
    fail(key, std::string("expected ") + expected + ", got negative " + describe(*v) + from_set(key));
  }
  if (sign == DurationSign::kPositive && d->ns == 0) {
    fail(key, std::string("expected ") + expected + ", got " + describe(*v) + from_set(key));
  }
  if (*d > kMaxScenarioDuration || *d < -kMaxScenarioDuration) {
    fail(key, std::string("expected ") + expected + " (\"8760h\"), got " + describe(*v) + from_set(key));
  }
  return d;
}

Duration ConfigReader::duration(const std::string& key, Duration fallback, bool allow_negative) {
  return optional_duration(key, allow_negative).value_or(fallback);
}

std::vector<std::string> ConfigReader::string_list(const std::string& key) {
  const Json* v = get(key);
  if (v != nullptr && v->is_string()) return {v->get<std::string>()};
  return strict_string_list(key);
}

std::vector<std::string> ConfigReader::strict_string_list(const std::string& key) {
  const Json* v = get(key);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (!v->is_array()) {
    fail(key, "expected a list of strings, got " + describe(*v) + (given_by_set(key) ? " from --set" : "") +
                  (v->is_string() ? " (" + list_hint(v->get<std::string>()) + ")" : ""));
  }
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      throw ScenarioError(file_, key_path(key) + "[" + std::to_string(i) + "]",
                          "expected a string, got " + describe((*v)[i]));
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

ConfigReader ConfigReader::object(const std::string& key) {
  const Json* v = get(key);
  ConfigReader out(v == nullptr ? empty_object() : *v, file_, key_path(key));
  out.enclosing_.push_back(value_);
  out.enclosing_.insert(out.enclosing_.end(), enclosing_.begin(), enclosing_.end());
  out.overridden_ = overridden_;
  out.file_checks_ = file_checks_;
  out.rounded_ = rounded_;
  out.built_in_ = built_in_;
  return out;
}

std::vector<ConfigReader> ConfigReader::array(const std::string& key) {
  const Json* v = get(key);
  std::vector<ConfigReader> out;
  if (v == nullptr) return out;
  if (!v->is_array()) fail(key, "expected a list, got " + describe(*v));
  for (size_t i = 0; i < v->size(); ++i) {
    out.emplace_back((*v)[i], file_, key_path(key) + "[" + std::to_string(i) + "]");
    out.back().enclosing_.push_back(value_);
    out.back().enclosing_.insert(out.back().enclosing_.end(), enclosing_.begin(), enclosing_.end());
    out.back().overridden_ = overridden_;
    out.back().file_checks_ = file_checks_;
    out.back().rounded_ = rounded_;
    out.back().built_in_ = built_in_;
  }
  return out;
}

void ConfigReader::finish() const {
  std::vector<std::string> known(known_.begin(), known_.end());
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    // null is the same as leaving the key out (README): `--set KEY=null` takes back a
    // setting that this variant does not have.
    if (known_.count(it.key()) != 0 || it.value().is_null()) continue;
    std::string hint = closest_match(it.key(), known);
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    fail(it.key(), "unknown key \"" + it.key() + "\"" +
                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)") +
                       "; known keys here: " + list);
  }
}

}  // namespace dsim
