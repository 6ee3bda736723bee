// Reads one JSON object of a scenario with its JSON path in hand, so every error names
// the file, the path and what was expected. It remembers which keys were read: finish()
// rejects any other key as unknown, suggesting the closest known one (a typo); a key whose
// value is null is left out, as null always means (so it is never unknown).
//
// Usage:
//   ConfigReader net = root.object("network");
//   double loss = net.probability("loss", 0.0);
//   net.finish();
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/time.h"
#include "scenario/json_text.h"
#include "scenario/scenario_error.h"

namespace dsim {

class ConfigReader {
 public:
  // `value` must outlive the reader. An absent section reads as an empty object.
  ConfigReader(const Json& value, std::string file, std::string path);

  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  const Json& json() const { return *value_; }
  // The objects that hold this one, innermost first: for "$.protocol.replication", the
  // "protocol" object, then the scenario. Empty for a reader made directly.
  const std::vector<const Json*>& enclosing() const { return enclosing_; }
  bool has(const std::string& key) const;
  // Whether the command line (--set) gave `key`'s value, itself or with an enclosing
  // object, rather than the file. Known only to readers made from a scenario loaded with
  // overrides (ScenarioLoader), and to the readers they make; false otherwise.
  bool given_by_set(const std::string& key) const;
  // Whether --set wrote the JSON path `path` ("$.duration"), itself or an object or list
  // around it: for a rule between this section's key and a setting of another section.
  bool path_given_by_set(const std::string& path) const;
  // " from --set" when `key`'s value came from --set, else "": what a refusal appends.
  std::string from_set(const std::string& key) const;
  // Marks the document as the built-in default scenario (`dsim run` without a file), which
  // the user never wrote; passed on to every reader this one makes.
  void set_built_in(bool built_in) { built_in_ = built_in; }
  // Where a value of the document (not --set's, not a default) came from, as a refusal
  // names another value's origin: "from the file", or "from the built-in default scenario".
  const char* from_document() const {
    return built_in_ ? "from the built-in default scenario" : "from the file";
  }
  // The text of the number at `path` (a whole JSON path, "$.nodes.replica") when that text
  // is not a whole number but its nearest double is one (RoundedWholeNumbers), else nullopt.
  std::optional<std::string> rounded_text(const std::string& path) const;
  // "TEXT, which is not a whole number (...the nearest double, NEAREST)": a refusal's end.
  static std::string not_whole_number(const std::string& text, const Json& nearest);
  // The JSON paths ("$.protocol.interval", "$.faults.schedule[0].at") that --set wrote;
  // passed on to every reader this one makes.
  void set_overridden(std::shared_ptr<const std::vector<std::string>> paths) { overridden_ = std::move(paths); }
  // When --set gave "checks": the checks the file itself runs (its own "checks", or the
  // family's defaults), passed on to every reader this one makes afterwards; null
  // otherwise. A check's bound the file gives for a check its own checks leave out is the
  // file's mistake, whatever --set chose (SettingTable::refuse_inapplicable).
  void set_file_checks(std::shared_ptr<const std::vector<std::string>> checks) { file_checks_ = std::move(checks); }
  const std::vector<std::string>* file_checks() const { return file_checks_.get(); }
  // The numbers whose text rounds onto a whole number (json_text.h), by path: refused where
  // an integer (or integer nanoseconds) is expected. Passed on like the paths above.
  void set_rounded(std::shared_ptr<const RoundedWholeNumbers> rounded) { rounded_ = std::move(rounded); }
  std::string key_path(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;
  [[noreturn]] void fail_here(const std::string& problem) const;

  // Each getter marks the key as known, even when it is absent. An integer (and integer
  // nanoseconds) may be written as any JSON number whose fraction is zero (3, 3.0, 3e0), as
  // JSON Schema's "integer" is (whole_number), and is read exactly: a text that is not
  // exactly a whole number ("4.9999999999999999", whose nearest double is 5) is refused.
  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  std::optional<int64_t> optional_integer(const std::string& key, int64_t min, int64_t max);
  double number(const std::string& key, double fallback, double min, double max);
  double probability(const std::string& key, double fallback) {
    return number(key, fallback, 0.0, 1.0);
  }
  bool boolean(const std::string& key, bool fallback);
  std::string string(const std::string& key, const std::string& fallback);
  std::optional<std::string> optional_string(const std::string& key);
  // One of `choices`; an unknown value names the closest choice.
  std::string choice(const std::string& key, const std::vector<std::string>& choices,
                     const std::string& fallback);
  // A duration: "150ms", "2s", "0.25s", or an integer number of nanoseconds, of magnitude
  // at most kMaxScenarioDuration (365 days). Read exactly or refused: a text that is not a
  // whole number of nanoseconds ("0.5ns", "1.0000000001s") is refused, never rounded
  // (core/duration_text.h). Negative only when `allow_negative`.
  Duration duration(const std::string& key, Duration fallback, bool allow_negative = false);
  std::optional<Duration> optional_duration(const std::string& key, bool allow_negative = false);
  // A duration above zero (the run's duration, a positive setting): the refusal of a bad
  // value says "a positive duration".
  Duration positive_duration(const std::string& key, Duration fallback);
  enum class DurationSign { kAny, kNonNegative, kPositive };
  std::optional<Duration> read_duration(const std::string& key, DurationSign sign);
  // A list of strings; a single string reads as a list of one (only where the schema
  // allows one name so: a stall's "timers" and "messages", a nemesis's "stall_timers" and
  // "stall_messages", the ring's "initial_members", a 2PC scripted transfer's "to").
  std::vector<std::string> string_list(const std::string& key);
  // A list of strings, and only a list ("checks", a nemesis's "kinds", disk_fail's "ops":
  // a string there is refused, as the schema refuses it, with the list of one to write).
  std::vector<std::string> strict_string_list(const std::string& key);

  // A nested object (absent: empty). Marks the key as known.
  ConfigReader object(const std::string& key);
  // Elements of an array (absent: none), each with its path ("$.faults.schedule[3]").
  std::vector<ConfigReader> array(const std::string& key);
  // Marks a key as known without reading it (its reader lives elsewhere).
  void accept(const std::string& key) { known_.insert(key); }

  // Rejects keys that no getter asked for.
  void finish() const;

 private:
  const Json* get(const std::string& key);
  std::string describe(const Json& v) const;

  const Json* value_;
  std::string file_;
  std::string path_;
  std::set<std::string> known_;
  std::vector<const Json*> enclosing_;
  std::shared_ptr<const std::vector<std::string>> overridden_;
  std::shared_ptr<const std::vector<std::string>> file_checks_;
  std::shared_ptr<const RoundedWholeNumbers> rounded_;
  bool built_in_ = false;
  // Refuses `v` at `key` when its text rounds onto a whole number (`expected`: the value
  // the key takes).
  void refuse_rounded(const std::string& key, const std::string& expected) const;
};

// `v` as an int64 when it is a JSON number whose fraction is zero (3, 3.0, 3e0: JSON has
// one kind of number, and JSON Schema's "integer" is any such number), else nullopt (a
// fraction, not a number, or beyond the int64 range). A float beyond 2^53 is the nearest
// double to what was written, as for every JSON reader.
std::optional<int64_t> whole_number(const Json& v);

// Levenshtein distance, for "did you mean".
size_t edit_distance(const std::string& a, const std::string& b);
// The closest candidate within a reasonable distance, or "" if none is close.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace dsim
