// dsim run-set [PATH ...] [--out DIR]: runs every scenario under the given files or
// folders (default: ./scenarios), writing each one's trace and summary into DIR, and
// compares each outcome with the scenario's "expect" (default: every check holds).
// Into a folder an earlier run-set wrote, once the set has run, it removes the outputs
// that the earlier index.json lists and this set no longer writes (while they still hold
// the run it listed them for, scenario hash included: a user's file at such a name is
// kept, and so is every output of an index that recorded no hash), so that a scenario
// taken out of the set leaves nothing behind that a reader could take for one of its
// runs; those it leaves (a
// set cut short by a signal keeps its scenarios' earlier outputs) its own index.json lists
// as "earlier_outputs" of their scenario, for the next set to remove. A scenario refused
// while it runs (bad input) or whose outputs cannot be written is listed in index.json with
// its error and the set goes on; index.json is always written whole, even after Ctrl-C.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "core/json.h"
#include "runner/run_scenario.h"

namespace dsim::cli {
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> collect(const std::vector<std::string>& inputs, std::string& error) {
  std::vector<fs::path> files;
  for (const std::string& in : inputs) {
    fs::path p(in);
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); it != fs::end(it); it.increment(ec)) {
        const fs::path& f = it->path();
        if (it->is_regular_file() && f.extension() == ".json" &&
            f.filename().string().find(".schema.") == std::string::npos) {
          files.push_back(f);
        }
      }
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      error = "no such scenario file or folder: " + in;
      return {};
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// run-set's index.json: an array of one object per scenario (or "[]" while the first set
// into a folder runs), so a folder is recognised as run-set's by it.
bool is_run_set_index_head(std::string_view head) {
  return head.rfind("[]\n", 0) == 0 || head.rfind("[\n  {\n    \"file\": ", 0) == 0;
}
const OutputKind kRunSetIndex{"run-set index", is_run_set_index_head, /*stdout_allowed=*/false};

// "scenarios/locks/seed-demo.json" -> "locks_seed-demo"
std::string output_stem(const fs::path& file) {
  std::string s = file.lexically_normal().replace_extension().string();
  if (s.rfind("scenarios/", 0) == 0) s = s.substr(10);
  std::replace(s.begin(), s.end(), '/', '_');
  return s;
}

// The files of `files` (sorted) whose outputs get one name each: the same file named twice
// (a folder and a file in it, "./a.json" and "a.json") runs once. Two different files whose
// outputs would have one name ("sc/a.json" and "sc_a.json" both write sc_a.*) would
// overwrite each other's runs: sets `error` naming both (exit code 2), before anything runs.
std::vector<fs::path> one_file_per_output_name(std::vector<fs::path> files, std::string& error) {
  std::map<std::string, fs::path> by_stem;
  std::vector<fs::path> kept;
  for (fs::path& f : files) {
    const std::string stem = output_stem(f);
    auto [it, added] = by_stem.emplace(stem, f);
    if (added) {
      kept.push_back(std::move(f));
      continue;
    }
    std::error_code ec;
    if (fs::equivalent(it->second, f, ec) && !ec) continue;  // named twice: runs once
    error = "the scenarios " + it->second.string() + " and " + f.string() + " would both write their outputs to " +
            stem + ".summary.json and " + stem + ".trace.jsonl (run-set names outputs after the scenario's " +
            "path, with '/' as '_'), and one run would replace the other's: rename one, or run them in two sets";
    return {};
  }
  return kept;
}

// "locks_seed-demo.trace.jsonl" -> "locks_seed-demo"; "" for a name run-set does not
// give its outputs.
std::string stem_of_output(const std::string& name) {
  for (std::string_view suffix : {".trace.jsonl", ".summary.json"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return "";
}

const OutputKind& kind_of_output(const std::string& name) {
  return name.ends_with(".trace.jsonl") ? kTraceOutput : kSummaryOutput;
}

// The run an earlier index.json lists an output as: what the output's own content (a
// trace's header line, a summary's fields) must still name for run-set to take it for its
// own. A file at that name holding another run (a dsim trace the user wrote there by hand,
// of another scenario, seed or settings) is the user's.
struct ListedRun {
  std::string file;           // the scenario file, as the set was given it
  Json seed;                  // the run's seed
  std::string scenario_hash;  // empty when the index predates recording it
};

Json listed_run_json(const ListedRun& run) {
  Json j = Json::object();
  j["file"] = run.file;
  j["seed"] = run.seed;
  j["scenario_hash"] = run.scenario_hash;
  return j;
}

ListedRun listed_run_of(const Json& j) {
  ListedRun run;
  if (auto it = j.find("file"); it != j.end() && it->is_string()) run.file = it->get<std::string>();
  if (auto it = j.find("seed"); it != j.end()) run.seed = *it;
  if (auto it = j.find("scenario_hash"); it != j.end() && it->is_string()) run.scenario_hash = it->get<std::string>();
  return run;
}

// What an earlier run-set's index.json in `out` says of the traces and summaries in the
// folder, by name.
struct EarlierIndex {
  // Those it lists as run-set's, with the run each holds: each entry's outputs (its own
  // run), and the earlier outputs it left in the folder ("earlier_outputs": a set cut
  // short, or an output not written; their run in "earlier_runs", or, from a dsim before
  // that, the entry's).
  std::map<std::string, ListedRun> listed;
  // Those it names as kept unproven ("unprovable_outputs": an index from a dsim that did
  // not record "scenario_hash" listed them), never run-set's to remove: each set that
  // still does not write them says so again in its index.json, for dsim-report.
  std::set<std::string> unprovable;
};

// Empty when there is no such file or it is not what run-set writes.
EarlierIndex read_earlier_index(const fs::path& out) {
  std::ifstream in(out / "index.json");
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  Json index = Json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  EarlierIndex earlier;
  if (!index.is_array()) return earlier;
  // Looked for in `out` by name (the earlier run may have been started from elsewhere).
  auto name_of = [](const Json& path) -> std::string {
    if (!path.is_string()) return "";
    std::string name = fs::path(path.get<std::string>()).filename().string();
    return stem_of_output(name).empty() ? "" : name;
  };
  auto add = [&](const Json& path, const ListedRun& run) {
    if (std::string name = name_of(path); !name.empty()) earlier.listed.emplace(std::move(name), run);
  };
  for (const Json& entry : index) {
    if (!entry.is_object()) continue;
    const ListedRun own = listed_run_of(entry);
    for (const char* key : {"trace", "summary"}) {
      if (auto it = entry.find(key); it != entry.end()) add(*it, own);
    }
    const auto runs = entry.find("earlier_runs");
    if (auto it = entry.find("earlier_outputs"); it != entry.end() && it->is_array()) {
      for (const Json& path : *it) {
        const bool recorded = runs != entry.end() && runs->is_object() && path.is_string() &&
                              runs->contains(path.get<std::string>()) && (*runs)[path.get<std::string>()].is_object();
        add(path, recorded ? listed_run_of((*runs)[path.get<std::string>()]) : own);
      }
    }
    if (auto it = entry.find("unprovable_outputs"); it != entry.end() && it->is_array()) {
      for (const Json& path : *it) {
        if (std::string name = name_of(path); !name.empty()) earlier.unprovable.insert(std::move(name));
      }
    }
  }
  return earlier;
}

// What a trace's header line or a summary says of its run; null when unreadable.
Json run_named_in(const std::string& path, const OutputKind& kind) {
  std::ifstream in(path);
  std::string text;
  if (&kind == &kTraceOutput) {
    std::getline(in, text);
  } else {
    std::stringstream all;
    all << in.rdbuf();
    text = all.str();
  }
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return j.is_object() ? j : Json();
}

// What `path` holds, against the run the earlier index listed it as.
enum class ListedContent {
  kListedRun,    // an output of its kind of that very run (scenario file, seed and hash)
  kUnprovable,   // of that file and seed, but the index (a dsim before "scenario_hash")
                 // recorded no hash: a run of the user's of that file and seed with
                 // other settings (--set) looks the same, so it is not run-set's to touch
  kOther,        // anything else: the user's
};

ListedContent content_of(const std::string& path, const OutputKind& kind, const ListedRun& run) {
  if (!holds_output_of_kind(path, kind)) return ListedContent::kOther;
  const Json named = run_named_in(path, kind);
  if (named.is_null()) return ListedContent::kOther;
  const ListedRun held = listed_run_of(named);
  if (held.file != run.file || held.seed != run.seed) return ListedContent::kOther;
  if (run.scenario_hash.empty()) return ListedContent::kUnprovable;
  return held.scenario_hash == run.scenario_hash ? ListedContent::kListedRun : ListedContent::kOther;
}

struct CleanUp {
  std::vector<std::string> removed;     // names of the earlier outputs removed
  std::vector<std::string> unprovable;  // kept: listed by an index without scenario hashes
};

// Removes the earlier outputs (`earlier`, by name) of the scenarios `removable` names (by
// output stem) that this set did not write: only files directly in `out` that still hold
// the run the earlier index listed them as, so nothing of the user's is touched (not even
// a file of theirs put at such a name, a dsim output of another run too). Those an index
// without scenario hashes lists are kept when their file and seed match (it cannot be
// proven they are not the user's), and named in `unprovable`.
CleanUp remove_earlier_outputs(const fs::path& out, const std::map<std::string, ListedRun>& earlier,
                               const std::set<fs::path>& written,
                               const std::function<bool(const std::string&)>& removable) {
  CleanUp done;
  for (const auto& [name, run] : earlier) {
    if (!removable(stem_of_output(name))) continue;
    // Only the folder is resolved, never the name: a symbolic link put at an output's name
    // is the user's (holds_output_of_kind refuses it), and its target, wherever it is, is
    // never followed, let alone removed.
    std::error_code ec;
    const fs::path where = fs::weakly_canonical(out, ec) / name;
    if (ec || written.count(where) != 0) continue;
    const ListedContent content = content_of(where.string(), kind_of_output(name), run);
    if (content == ListedContent::kUnprovable) done.unprovable.push_back(name);
    if (content != ListedContent::kListedRun) continue;
    if (fs::remove(where, ec) && !ec) done.removed.push_back(name);
  }
  return done;
}

// "kept 2 outputs an earlier index.json lists without their scenario's hash (a dsim before
// it recorded one): ...": what the user may have to remove by hand.
std::string unprovable_outputs_line(const std::vector<std::string>& kept) {
  std::string names;
  for (const std::string& name : kept) names += (names.empty() ? "" : ", ") + name;
  return "kept " + std::to_string(kept.size()) + " output" + (kept.size() > 1 ? "s" : "") +
         " that an earlier index.json (from a dsim that did not record \"scenario_hash\") lists "
         "but this set does not write: " + names + "; such an output cannot be told from a run of "
         "yours of the same scenario file and seed with other settings, so it is left to you "
         "(remove it by hand if it is run-set's: later sets do not)";
}

// "removed 4 outputs of an earlier run-set that this set does not write: 2 of scenarios no
// longer in it, 2 of scenarios it refused (...)": why each went, by its scenario's fate.
std::string removed_outputs_line(const std::vector<std::string>& removed,
                                 const std::set<std::string>& stems_in_set,
                                 const std::set<std::string>& stems_refused) {
  size_t gone = 0, refused = 0, untraced = 0;
  for (const std::string& name : removed) {
    const std::string stem = stem_of_output(name);
    if (stems_refused.count(stem) != 0) {
      ++refused;
    } else if (stems_in_set.count(stem) != 0) {
      ++untraced;  // its summary was written: only its trace was not asked for
    } else {
      ++gone;
    }
  }
  std::string parts;
  auto part = [&](size_t n, const std::string& what) {
    if (n > 0) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  };
  part(gone, "of scenarios no longer in it");
  part(refused, "of scenarios it refused (REFUSED above: their earlier outputs are no runs of it)");
  part(untraced, std::string("trace") + (untraced > 1 ? "s" : "") + " not asked for (--no-trace)");
  return "removed " + std::to_string(removed.size()) + " output" + (removed.size() > 1 ? "s" : "") +
         " of an earlier run-set that this set does not write: " + parts;
}

}  // namespace

int run_set_command(int argc, char** argv) {
  const std::string usage =
      "usage: dsim run-set [PATH ...] [--out DIR]\n"
      "Runs every scenario in the given files and folders (default: scenarios/) and checks\n"
      "each against its \"expect\" block. Exit code 0 when every scenario behaved as expected,\n"
      "1 when one did not, 2 when one was refused as bad input while it ran (the others still\n"
      "run; index.json lists it as \"refused\"), 3 when an output could not be written.\n"
      "Into a folder an earlier run-set wrote, it removes the outputs the earlier index.json\n"
      "lists that this set no longer writes, each only while its content still names the run\n"
      "listed, scenario hash included (nothing else: an index from a dsim that recorded no\n"
      "hash proves nothing, and its outputs are kept and named, under -q too); stopped by a\n"
      "signal, only those of scenarios no longer in the set.";
  po::options_description opts("options");
  opts.add_options()("help,h", "show this help")(
      "paths", po::value<std::vector<std::string>>(), "scenario files or folders")(
      "out", po::value<std::string>()->default_value("out"),
      "output folder: new, empty, or one an earlier run-set wrote (with its index.json)")(
      "no-trace", "write summaries only")(
      "quiet,q",
      "print nothing but errors and the note naming earlier outputs kept for you to remove (the "
      "outcome is in the exit code and index.json)");
  po::positional_options_description pos;
  pos.add("paths", -1);
  po::variables_map vm;
  int exit = kOk;
  if (!parse_options(argc, argv, usage, opts, pos, vm, exit)) return exit;

  const bool quiet = vm.count("quiet") != 0;
  std::vector<std::string> inputs = {"scenarios"};
  if (vm.count("paths") != 0) inputs = vm["paths"].as<std::vector<std::string>>();
  std::string error;
  std::vector<fs::path> files = collect(inputs, error);
  if (error.empty()) files = one_file_per_output_name(std::move(files), error);
  if (!error.empty()) {
    std::cerr << "dsim: " << error << "\n";
    return kBadInput;
  }
  // Validate everything first: a typo in the last file must not cost the whole run.
  std::vector<Scenario> scenarios;
  for (const fs::path& f : files) {
    try {
      scenarios.push_back(load_scenario(f.string(), {}, std::nullopt));
    } catch (const ScenarioError& e) {
      std::cerr << "dsim: " << e.what() << "\n";
      return kBadInput;
    }
  }
  // The folder must be new, empty, or one an earlier run-set filled (it has run-set's
  // index.json); each output in it must be new or of its kind. Only then is it made.
  fs::path out(vm["out"].as<std::string>());
  std::optional<OutputProblem> problem = check_output_folder(out.string(), "index.json", kRunSetIndex);
  for (size_t i = 0; i < files.size() && !problem; ++i) {
    const std::string stem = output_stem(files[i]);
    problem = check_output_path((out / (stem + ".summary.json")).string(), kSummaryOutput);
    if (!problem && vm.count("no-trace") == 0) {
      problem = check_output_path((out / (stem + ".trace.jsonl")).string(), kTraceOutput);
    }
    // A missing folder cannot hold anything: the checks above then only find it missing.
    if (problem && !fs::exists(out)) problem.reset();
  }
  if (!problem) problem = create_output_folder(out.string());
  if (problem) {
    std::cerr << "dsim: " << problem->message << "\n";
    return problem->exit_code;
  }
  // Marks the folder as run-set's at once, so that a run-set cut short can be run again.
  std::string io_error;
  if (!fs::exists(out / "index.json") &&
      !write_file_atomically((out / "index.json").string(), "[]\n", io_error)) {
    std::cerr << "dsim: " << io_error << "\n";
    return kIoError;
  }
  const EarlierIndex earlier = read_earlier_index(out);
  const std::map<std::string, ListedRun>& earlier_outputs = earlier.listed;
  std::set<fs::path> written_paths;
  const std::atomic<bool>* interrupt = install_interrupt_handler();
  // Every scenario gets its entry in the index, whatever becomes of its run: a refused run
  // (bad input found while running) or an output that could not be written does not stop
  // the set, and a set cut short by a signal lists the scenarios it did not reach.
  Json index = Json::array();
  int unexpected = 0, refused = 0, unwritten = 0;
  bool interrupted = false;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    std::string stem = output_stem(files[i]);
    RunOptions options;
    if (vm.count("no-trace") == 0) options.trace_path = (out / (stem + ".trace.jsonl")).string();
    options.summary_path = (out / (stem + ".summary.json")).string();
    options.interrupt = interrupt;
    options.replay_command = replay_command(files[i].string(), s.seed, {});
    int expected_exit = s.expect ? s.expect->exit_code : 0;
    std::string expected_check = s.expect ? s.expect->check : "";
    Json entry = Json::object();
    entry["file"] = files[i].string();
    entry["scenario"] = s.name;
    entry["seed"] = s.seed;
    entry["scenario_hash"] = s.hash;  // with file and seed: the run its outputs must hold
    // Kept by the clean-up of an earlier set's outputs (written now, or not ours to remove:
    // a file that appeared at the path while the set ran).
    auto keep_paths = [&] {
      for (const std::string& p : {options.trace_path, options.summary_path}) {
        std::error_code ec;
        if (p.empty()) continue;
        // Resolved as remove_earlier_outputs resolves the names it compares with these.
        const fs::path path(p);
        written_paths.insert(fs::weakly_canonical(path.parent_path(), ec) / path.filename());
      }
    };
    auto finish_entry = [&](const std::string& verdict, const std::string& failed_check,
                            bool as_expected, bool written, const std::string& error) {
      entry["verdict"] = verdict;
      entry["failed_check"] = failed_check;
      entry["expected_exit"] = expected_exit;
      entry["expected_check"] = expected_check;
      entry["as_expected"] = as_expected;
      entry["summary"] = written ? options.summary_path : "";
      entry["trace"] = written ? options.trace_path : "";
      if (!error.empty()) entry["error"] = error;
      index.push_back(std::move(entry));
      if (written) keep_paths();
    };
    if (interrupted) {  // not reached: nothing of it was written
      finish_entry("not_run", "", false, false, "");
      continue;
    }
    RunReport report;
    try {
      report = run_scenario(s, options);
    } catch (const ScenarioError& e) {
      // Simulated time stood still: this scenario is bad input; the others still run.
      ++refused;
      std::cerr << "dsim: " << e.what() << "\n";
      if (!quiet) std::cout << "REFUSED     " << files[i].string() << "  (bad input found while running; nothing written)\n";
      finish_entry("refused", "", false, false, e.what());
      continue;
    }
    if (report.exit_code == kInterrupted) {
      interrupted = true;  // this run's outputs are complete, up to the stop
      if (!quiet) std::cout << "INTERRUPTED " << files[i].string() << "\n";
      finish_entry("interrupted", "", false, report.io_error.empty(), report.io_error);
      if (!report.io_error.empty()) std::cerr << "dsim: " << report.io_error << "\n";
      continue;
    }
    std::string failed_check =
        report.result.violations.empty() ? "" : report.result.violations.front().check;
    bool as_expected = report.exit_code == expected_exit &&
                       (expected_exit == 0 || failed_check == expected_check);
    if (!report.io_error.empty()) {
      // Its outputs are discarded (none is left half written); the set goes on.
      ++unwritten;
      std::cerr << "dsim: " << report.io_error << "\n";
      if (!quiet) std::cout << "NOT WRITTEN " << files[i].string() << "  (its outputs were discarded)\n";
      keep_paths();
      finish_entry(report.summary["verdict"].get<std::string>(), failed_check, false, false,
                   report.io_error);
      continue;
    }
    if (!as_expected) ++unexpected;
    if (!quiet) {
      std::cout << (as_expected ? "ok        " : "UNEXPECTED") << "  " << files[i].string() << "  "
                << (report.exit_code == 0 ? "pass" : "fail " + failed_check)
                << (expected_exit == 1 ? "  (expected: fail " + expected_check + ")" : "") << "\n";
      if (!as_expected) print_violations(std::cout, s, report, options.replay_command);
    }
    finish_entry(report.summary["verdict"].get<std::string>(), failed_check, as_expected, true, "");
  }
  // The earlier set's outputs this set did not write: removed when their scenario is no
  // longer in the set or was refused (they are no runs of it). A set cut short keeps those
  // of the scenarios it lists (those it did not reach keep their last outputs; a refused
  // one's are left as its clean-up was not reached) and removes only those of scenarios no
  // longer in it.
  std::set<std::string> stems_in_set, stems_refused;
  for (size_t i = 0; i < files.size(); ++i) {
    stems_in_set.insert(output_stem(files[i]));
    if (index[i]["verdict"] == "refused") stems_refused.insert(output_stem(files[i]));
  }
  const CleanUp cleanup =
      remove_earlier_outputs(out, earlier_outputs, written_paths, [&](const std::string& stem) {
        return !interrupted || stems_in_set.count(stem) == 0;
      });
  if (!cleanup.removed.empty() && !quiet) {
    std::cout << removed_outputs_line(cleanup.removed, stems_in_set, stems_refused) << "\n";
  }
  // Printed under -q too: it is no progress report but a file of the user's, perhaps, that
  // run-set left for them to look at (README, "Output files").
  if (!cleanup.unprovable.empty()) std::cout << unprovable_outputs_line(cleanup.unprovable) << "\n";
  // Those left in the folder are listed under their scenario's entry, so that the next set
  // still knows them for run-set's (and removes them once their scenario is gone or
  // refused), and no reader takes them for this set's runs. Those an index without
  // scenario hashes listed (now, or as unprovable before) are named apart, so that a
  // reader (dsim-report) knows why they were kept.
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string stem = output_stem(files[i]);
    Json left = Json::array(), runs = Json::object(), unprovable = Json::array();
    for (const std::string& name : {stem + ".trace.jsonl", stem + ".summary.json"}) {
      const std::string path = (out / name).string();
      if (index[i]["trace"] == path || index[i]["summary"] == path) continue;
      const auto listed = earlier_outputs.find(name);
      const ListedContent content = listed == earlier_outputs.end()
                                        ? ListedContent::kOther
                                        : content_of(path, kind_of_output(name), listed->second);
      if (content == ListedContent::kListedRun) {
        left.push_back(path);
        runs[path] = listed_run_json(listed->second);  // for the next set's check of the content
      } else if (content == ListedContent::kUnprovable ||
                 (earlier.unprovable.count(name) != 0 && holds_output_of_kind(path, kind_of_output(name)))) {
        // (Named unprovable by an earlier set: still so while it holds such an output; a
        // file the user has put there since is the user's, and not named.)
        unprovable.push_back(path);
      }
    }
    if (!left.empty()) {
      index[i]["earlier_outputs"] = std::move(left);
      index[i]["earlier_runs"] = std::move(runs);
    }
    if (!unprovable.empty()) index[i]["unprovable_outputs"] = std::move(unprovable);
  }
  if (!write_file_atomically((out / "index.json").string(), index.dump(2) + "\n", io_error)) {
    std::cerr << "dsim: " << io_error << "\n";
    return kIoError;
  }
  if (interrupted) {
    std::cerr << "dsim: interrupted; " << out.string() << "/index.json lists the scenarios run "
              << "and those not reached (\"not_run\")\n";
    return kInterrupted;
  }
  const size_t ran_ok = scenarios.size() - unexpected - refused - unwritten;
  if (!quiet) {
    std::cout << scenarios.size() << " scenarios, " << ran_ok << " as expected, " << unexpected
              << " unexpected";
    if (refused > 0) std::cout << ", " << refused << " refused";
    if (unwritten > 0) std::cout << ", " << unwritten << " not written";
    std::cout << "; outputs in " << out.string() << "\n";
  }
  // The most serious outcome decides: an output not written, then bad input, then a
  // scenario that did not end as it expects.
  if (unwritten > 0) return kIoError;
  if (refused > 0) return kBadInput;
  return unexpected == 0 ? kOk : kCheckFailed;
}

}  // namespace dsim::cli
