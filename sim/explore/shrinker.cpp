#include "explore/shrinker.h"

#include <algorithm>

#include "core/rng.h"
#include "explore/shrink_moves.h"

namespace dsim::explore {
namespace {

constexpr int kScanPoints = 6;   // values tried evenly from the floor up, per value lowered
constexpr int kBisectSteps = 4;  // then bisection steps below the smallest failing one
constexpr int64_t kMillisecond = 1'000'000;
constexpr int64_t kDefaultDurationNs = 10'000 * kMillisecond;  // the loader's default

// Durations of a millisecond or more move in whole milliseconds: readable results.
int64_t step_for(int64_t ns) { return ns >= 10 * kMillisecond ? kMillisecond : 1; }

int64_t scenario_duration_ns(const Json& doc) {
  if (!doc.contains("duration")) return kDefaultDurationNs;
  return duration_ns(doc["duration"]).value_or(kDefaultDurationNs);
}

// A copy of the current schedule with fault `f`'s `key` set to `value`.
Json with_fault_field(const Json& doc, size_t f, const char* key, Json value) {
  Json faults = schedule_of(doc);
  faults[f][key] = std::move(value);
  return with_schedule(doc, std::move(faults));
}

// Candidates that differ only in how "nodes" is written run the same: one fingerprint.
uint64_t fingerprint(const Json& doc) {
  if (!doc.contains("nodes")) return fnv1a64(doc.dump());
  Json same = doc;
  same["nodes"] = compact_nodes(explicit_nodes(doc["nodes"]));
  return fnv1a64(same.dump());
}

}  // namespace

ScenarioSize measure(const Json& doc, const Verdict& verdict) {
  ScenarioSize s;
  Json faults = schedule_of(doc);
  s.faults = faults.size();
  for (const Json& f : faults) {
    if (f.is_object() && f.contains("for")) s.fault_time_ns += duration_ns(f["for"]).value_or(0);
  }
  s.nodes = verdict.nodes;
  s.nodes_by_role = verdict.nodes_by_role;
  s.duration_ns = scenario_duration_ns(doc);
  for (const Json::json_pointer& p : integer_settings(doc)) {
    if (p.to_string().rfind("/workload", 0) == 0) s.workload[p.to_string()] = doc[p].get<int64_t>();
  }
  s.events = verdict.events;
  return s;
}

bool no_larger(const ScenarioSize& a, const ScenarioSize& b) {
  if (a.faults > b.faults || a.nodes > b.nodes || a.duration_ns > b.duration_ns ||
      a.fault_time_ns > b.fault_time_ns) {
    return false;
  }
  for (const auto& [role, n] : a.nodes_by_role) {
    auto it = b.nodes_by_role.find(role);
    if (it == b.nodes_by_role.end() || n > it->second) return false;
  }
  for (const auto& [key, v] : a.workload) {
    auto it = b.workload.find(key);
    if (it == b.workload.end() || v > it->second) return false;
  }
  return true;
}

Shrinker::Shrinker(Judge judge, std::string check, ShrinkOptions options)
    : judge_(std::move(judge)), check_(std::move(check)), options_(options) {}

bool Shrinker::attempt(const std::optional<Json>& candidate) {
  if (!candidate || out_of_runs()) return false;
  if (!tried_.insert(fingerprint(*candidate)).second) return false;
  Verdict v = judge_(*candidate);
  if (!v.loaded) {
    ++unloadable_;
    return false;
  }
  ++runs_;
  if (!v.failed || v.check != check_) return false;
  current_ = *candidate;
  current_verdict_ = std::move(v);
  ++accepted_;
  return true;
}

// Lowers a value from `current` toward `floor` while candidates keep failing. Whether a
// run fails is rarely monotone in a value (a shorter run or another node count changes
// every later timing), so a plain bisection would often stop at once: first scan a few
// evenly spaced values upward from the floor and take the smallest that fails, then
// bisect the gap below it. `make` builds the candidate for a value from the current
// document (so it sees every edit accepted so far).
bool Shrinker::lower(int64_t floor, int64_t current, int64_t step,
                     const std::function<std::optional<Json>(int64_t)>& make) {
  if (current <= floor) return false;
  auto round_up = [step](int64_t v) { return (v + step - 1) / step * step; };
  int64_t lo = floor - 1, hi = current;  // lo: highest value known not to fail below hi
  for (int k = 0; k < kScanPoints && !out_of_runs(); ++k) {
    int64_t v = k == 0 ? floor : round_up(floor + (current - floor) / kScanPoints * k);
    if (v <= lo || v >= hi) continue;
    if (attempt(make(v))) {
      hi = v;
      break;
    }
    lo = v;
  }
  for (int i = 0; i < kBisectSteps && hi - lo > step && !out_of_runs(); ++i) {
    int64_t mid = round_up(lo + (hi - lo) / 2);
    if (mid <= lo || mid >= hi) break;
    if (attempt(make(mid))) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return hi < current;
}

bool Shrinker::remove_faults() {
  Json faults = schedule_of(current_);
  if (faults.empty()) return false;
  if (attempt(with_schedule(current_, Json::array()))) return true;
  bool removed = false;
  size_t n = 2;
  while (faults.size() >= 2 && !out_of_runs()) {
    const size_t size = faults.size();
    n = std::min(n, size);
    bool reduced = false;
    // First keep only one chunk, then leave one chunk out (at n = 2 they are the same).
    for (int keep_only = n > 2 ? 1 : 0; keep_only >= 0 && !reduced; --keep_only) {
      for (size_t c = 0; c < n && !reduced; ++c) {
        size_t begin = c * size / n, end = (c + 1) * size / n;
        Json candidate = Json::array();
        for (size_t i = 0; i < size; ++i) {
          if ((i >= begin && i < end) == (keep_only == 1)) candidate.push_back(faults[i]);
        }
        if (attempt(with_schedule(current_, candidate))) {
          faults = std::move(candidate);
          reduced = removed = true;
          n = keep_only == 1 ? 2 : std::max<size_t>(n - 1, 2);
        }
      }
    }
    if (!reduced) {
      if (n >= size) break;
      n = std::min(n * 2, size);
    }
  }
  return removed;
}

bool Shrinker::merge_faults() {
  bool merged = false;
  for (size_t i = 0; i < schedule_of(current_).size(); ++i) {
    for (size_t j = i + 1; j < schedule_of(current_).size();) {
      Json faults = schedule_of(current_);
      std::optional<Json> m = merged_fault(faults[i], faults[j]);
      if (m) {
        faults[i] = *m;
        faults.erase(j);
        if (attempt(with_schedule(current_, std::move(faults)))) {
          merged = true;
          continue;  // fault j is gone: look at the new j
        }
      }
      ++j;
    }
  }
  return merged;
}

bool Shrinker::narrow_faults() {
  bool narrowed = false;
  for (size_t f = 0; f < schedule_of(current_).size(); ++f) {
    for (const NodeListRef& ref : node_lists(schedule_of(current_)[f])) {
      for (size_t k = 0;;) {
        Json faults = schedule_of(current_);
        Json& list = node_list(faults[f], ref);
        if (!list.is_array() || list.size() <= 1 || k >= list.size()) break;
        list.erase(k);
        if (attempt(with_schedule(current_, std::move(faults)))) {
          narrowed = true;
        } else {
          ++k;
        }
      }
    }
  }
  return narrowed;
}

bool Shrinker::shorten_faults() {
  bool shortened = false;
  for (size_t f = 0; f < schedule_of(current_).size() && !out_of_runs(); ++f) {
    const Json fault = schedule_of(current_)[f];
    if (!fault.contains("for")) continue;
    int64_t lasts = duration_ns(fault["for"]).value_or(0);
    shortened |= lower(step_for(lasts), lasts, step_for(lasts), [&](int64_t v) {
      return std::optional<Json>(with_fault_field(current_, f, "for", duration_json(v)));
    });
  }
  return shortened;
}

bool Shrinker::weaken_faults() {
  bool weakened = false;
  for (size_t f = 0; f < schedule_of(current_).size() && !out_of_runs(); ++f) {
    const Json fault = schedule_of(current_)[f];
    if (fault.contains("by")) {  // a clock jump: smaller, same direction
      int64_t by = duration_ns(fault["by"]).value_or(0);
      int64_t sign = by < 0 ? -1 : 1;
      weakened |= lower(step_for(by * sign), by * sign, step_for(by * sign), [&](int64_t v) {
        return std::optional<Json>(with_fault_field(current_, f, "by", duration_json(sign * v)));
      });
    }
    if (fault.contains("ppm") && fault["ppm"].is_number_integer()) {
      int64_t ppm = fault["ppm"].get<int64_t>();
      int64_t sign = ppm < 0 ? -1 : 1;
      weakened |= lower(1, ppm * sign, 1, [&](int64_t v) {
        return std::optional<Json>(with_fault_field(current_, f, "ppm", sign * v));
      });
    }
    if (fault.contains("extra_latency")) {
      int64_t extra = duration_ns(fault["extra_latency"]).value_or(0);
      weakened |= lower(step_for(extra), extra, step_for(extra), [&](int64_t v) {
        return std::optional<Json>(with_fault_field(current_, f, "extra_latency", duration_json(v)));
      });
    }
    if (fault.contains("loss") && fault["loss"].is_number()) {
      auto per_mille = static_cast<int64_t>(fault["loss"].get<double>() * 1000);
      weakened |= lower(1, per_mille, 1, [&](int64_t v) {
        return std::optional<Json>(with_fault_field(current_, f, "loss", static_cast<double>(v) / 1000));
      });
    }
  }
  return weakened;
}

bool Shrinker::move_schedule_earlier() {
  auto first_at = [](const Json& faults) {
    int64_t first = INT64_MAX;
    for (const Json& f : faults) first = std::min(first, duration_ns(f["at"]).value_or(0));
    return first;
  };
  Json faults = schedule_of(current_);
  if (faults.empty()) return false;
  int64_t first = first_at(faults);
  return lower(0, first, step_for(first), [&](int64_t v) {
    Json moved = schedule_of(current_);
    int64_t by = first_at(moved) - v;
    for (Json& f : moved) f["at"] = duration_json(duration_ns(f["at"]).value_or(0) - by);
    return std::optional<Json>(with_schedule(current_, std::move(moved)));
  });
}

bool Shrinker::shorten_duration() {
  int64_t last_at = 0;
  for (const Json& f : schedule_of(current_)) {
    last_at = std::max(last_at, duration_ns(f["at"]).value_or(0));
  }
  int64_t duration = scenario_duration_ns(current_);
  int64_t step = step_for(duration);
  return lower(std::max(last_at, step), duration, step, [&](int64_t v) {
    Json doc = current_;
    doc["duration"] = duration_json(v);
    return std::optional<Json>(std::move(doc));
  });
}

bool Shrinker::lower_integers() {
  bool lowered = false;
  for (const Json::json_pointer& p : integer_settings(current_)) {
    if (out_of_runs()) break;
    if (!current_.contains(p) || !current_[p].is_number_integer()) continue;
    lowered |= lower(0, current_[p].get<int64_t>(), 1, [&](int64_t v) {
      Json doc = current_;
      doc[p] = v;
      return std::optional<Json>(std::move(doc));
    });
  }
  return lowered;
}

bool Shrinker::drop_nodes() {
  const Json names = explicit_nodes(current_["nodes"]);
  if (!names.is_object()) return false;
  bool dropped = false;
  for (auto role = names.begin(); role != names.end(); ++role) {
    if (!role->is_array()) continue;
    for (size_t k = role->size(); k-- > 0;) {
      if (out_of_runs()) return dropped;
      Json now = explicit_nodes(current_["nodes"]);
      Json& list = now[role.key()];
      auto it = std::find(list.begin(), list.end(), (*role)[k]);
      if (it == list.end()) continue;
      list.erase(it);
      Json doc = current_;
      doc["nodes"] = std::move(now);
      dropped |= attempt(doc);
    }
  }
  return dropped;
}

ShrinkResult Shrinker::run(const Json& start) {
  current_ = start;
  current_verdict_ = judge_(start);
  tried_.insert(fingerprint(start));
  runs_ = 1;
  ShrinkResult result;
  result.before = measure(start, current_verdict_);
  using Pass = bool (Shrinker::*)();
  const Pass passes[] = {&Shrinker::remove_faults,    &Shrinker::merge_faults,
                         &Shrinker::narrow_faults,    &Shrinker::shorten_faults,
                         &Shrinker::weaken_faults,    &Shrinker::move_schedule_earlier,
                         &Shrinker::shorten_duration, &Shrinker::lower_integers,
                         &Shrinker::drop_nodes};
  for (bool progress = true; progress && !out_of_runs();) {
    progress = false;
    for (Pass pass : passes) {
      if (out_of_runs()) break;
      progress = (this->*pass)() || progress;
    }
  }
  result.budget_spent = out_of_runs();
  // Write nodes as counts again wherever that names the same nodes (one more run, even
  // past the budget, to confirm it behaves the same).
  Json compact = current_;
  compact["nodes"] = compact_nodes(current_["nodes"]);
  if (compact != current_) {
    Verdict v = judge_(compact);
    ++runs_;
    if (v.loaded && v.failed && v.check == check_) {
      current_ = std::move(compact);
      current_verdict_ = std::move(v);
    }
  }
  result.document = current_;
  result.verdict = current_verdict_;
  result.after = measure(current_, current_verdict_);
  result.runs = runs_;
  result.rejected_unloadable = unloadable_;
  result.accepted = accepted_;
  return result;
}

}  // namespace dsim::explore
