#include "scenario/schedule_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "scenario/scenario_error.h"

namespace dsim {
namespace {

// One step of the replay. At one instant the run applies the scripted actions first (they
// were queued before the run, in file order), then the undos of faults with a `for` (queued
// as their faults fired, so in the order those fired).
struct Step {
  Instant when;
  bool undo;
  size_t index;  // into faults
};

enum class NodeState { kRunning, kPaused, kDown };

struct Replay {
  const std::vector<FaultAction>& faults;
  const Cluster& cluster;
  const std::string& file;
  std::vector<NodeState> state;
  std::vector<std::string> last_change;  // per node: what put it in its state, for messages
  // Named cuts and windows that are open, by name (fault indices), and the named cuts
  // among them (a heal without a name ends every cut, but no window).
  std::map<std::string, std::set<size_t>> open_by_name;
  std::set<size_t> open_named_cuts;

  std::string path(size_t i) const { return "$.faults.schedule[" + std::to_string(i) + "]"; }

  [[noreturn]] void refuse(const Step& s, const std::string& problem) const {
    throw ScenarioError(file, path(s.index) + (s.undo ? ".for" : ".action"), problem);
  }

  std::string node_problem(const Step& s, NodeId n, const char* verb, const char* why) const {
    return std::string(s.undo ? "the " : "") + verb + (s.undo ? " that ends this fault" : "") +
           " at " + format_duration(Duration{s.when.ns}) + " would do nothing: node \"" +
           cluster.name(n) + "\" " + why + " (" + last_change[n] + ")";
  }

  void set(NodeId n, NodeState to, const Step& s, const char* what) {
    state[n] = to;
    last_change[n] = std::string(what) + " at " + format_duration(Duration{s.when.ns}) + " by " +
                     path(s.index) + (s.undo ? "'s \"for\"" : "");
  }

  void crash(const Step& s, NodeId n) {
    if (state[n] == NodeState::kDown) refuse(s, node_problem(s, n, "crash", "is already down"));
    set(n, NodeState::kDown, s, "crashed");
  }
  void restart(const Step& s, NodeId n) {
    if (state[n] != NodeState::kDown) refuse(s, node_problem(s, n, "restart", "is running"));
    set(n, NodeState::kRunning, s, "restarted");
  }
  void pause(const Step& s, NodeId n) {
    if (state[n] == NodeState::kDown) refuse(s, node_problem(s, n, "pause", "is down"));
    if (state[n] == NodeState::kPaused) refuse(s, node_problem(s, n, "pause", "is already paused"));
    set(n, NodeState::kPaused, s, "paused");
  }
  void resume(const Step& s, NodeId n) {
    if (state[n] != NodeState::kPaused) refuse(s, node_problem(s, n, "resume", "is not paused"));
    set(n, NodeState::kRunning, s, "resumed");
  }

  void open_named(size_t i, bool is_cut) {
    if (faults[i].name.empty()) return;
    open_by_name[faults[i].name].insert(i);
    if (is_cut) open_named_cuts.insert(i);
  }
  // Ends fault i's cut or window if it is still open (an earlier heal may have ended it).
  void close_named(size_t i) {
    if (faults[i].name.empty()) return;
    auto it = open_by_name.find(faults[i].name);
    if (it != open_by_name.end()) {
      it->second.erase(i);
      if (it->second.empty()) open_by_name.erase(it);
    }
    open_named_cuts.erase(i);
  }

  void apply(const Step& s) {
    const FaultAction& a = faults[s.index];
    using K = FaultAction::Kind;
    switch (a.kind) {
      case K::kCrash:
        for (NodeId n : a.nodes) s.undo ? restart(s, n) : crash(s, n);
        break;
      case K::kRestart:
        for (NodeId n : a.nodes) restart(s, n);
        break;
      case K::kPause:
        for (NodeId n : a.nodes) s.undo ? resume(s, n) : pause(s, n);
        break;
      case K::kResume:
        for (NodeId n : a.nodes) resume(s, n);
        break;
      case K::kPartition:
      case K::kPartitionOneWay:
      case K::kIsolate:
      case K::kLinkSlow:
      case K::kLinkLossy: {
        bool is_cut = a.kind != K::kLinkSlow && a.kind != K::kLinkLossy;
        if (s.undo) {
          // A cut healed earlier by name or by a heal-all ends quietly: not an error.
          close_named(s.index);
        } else {
          open_named(s.index, is_cut);
        }
        break;
      }
      case K::kHeal:
        heal(s, a);
        break;
      case K::kClockJump:
      case K::kClockDrift:
      case K::kDiskFail:  // the disk is the host's: a down node's disk can fail too
      case K::kDiskSlow:
        break;
      case K::kStall:
        // Its end needs no check: a crash in between ended the stall already, quietly.
        if (!s.undo) {
          for (NodeId n : a.nodes) {
            if (state[n] == NodeState::kDown) refuse(s, node_problem(s, n, "stall", "is down"));
          }
        }
        break;
    }
  }

  void heal(const Step& s, const FaultAction& a) {
    if (a.name.empty()) {
      // Heals every cut; named windows stay open, as in the fault runner.
      std::set<size_t> cuts = std::move(open_named_cuts);
      open_named_cuts.clear();
      for (size_t i : cuts) close_named(i);
      return;
    }
    auto it = open_by_name.find(a.name);
    if (it == open_by_name.end()) {
      bool ever = std::any_of(faults.begin(), faults.end(), [&](const FaultAction& f) {
        return f.kind != FaultAction::Kind::kHeal && f.name == a.name;
      });
      throw ScenarioError(
          file, path(s.index) + ".name",
          ever ? "heal of \"" + a.name + "\" at " + format_duration(Duration{s.when.ns}) +
                     " would do nothing: no fault named \"" + a.name + "\" is open then"
               : "heal of \"" + a.name + "\" would do nothing: no partition, isolate or link "
                 "fault in the schedule is named \"" + a.name + "\"");
    }
    // The runner ends every cut and window of that name.
    for (size_t i : it->second) open_named_cuts.erase(i);
    open_by_name.erase(it);
  }
};

}  // namespace

void check_scripted_schedule(const std::vector<FaultAction>& faults, const Cluster& cluster,
                             const std::vector<NodeId>& down_at_start, const std::string& file) {
  std::vector<Step> steps;
  steps.reserve(faults.size() * 2);
  for (size_t i = 0; i < faults.size(); ++i) {
    steps.push_back(Step{faults[i].at, false, i});
    bool undoable = faults[i].kind != FaultAction::Kind::kRestart &&
                    faults[i].kind != FaultAction::Kind::kResume &&
                    faults[i].kind != FaultAction::Kind::kHeal;
    if (faults[i].lasts && undoable) steps.push_back(Step{faults[i].at + *faults[i].lasts, true, i});
  }
  // Scripted actions before undos at the same instant; actions in file order; undos in
  // the order their faults fired (time, then file order).
  std::stable_sort(steps.begin(), steps.end(), [&](const Step& a, const Step& b) {
    if (a.when != b.when) return a.when < b.when;
    if (a.undo != b.undo) return !a.undo;
    if (faults[a.index].at != faults[b.index].at) return faults[a.index].at < faults[b.index].at;
    return a.index < b.index;
  });
  Replay replay{faults, cluster, file, std::vector<NodeState>(cluster.size(), NodeState::kRunning),
                std::vector<std::string>(cluster.size(), "running since the start"), {}, {}};
  for (NodeId n : down_at_start) {
    replay.state[n] = NodeState::kDown;
    replay.last_change[n] = "down at start";
  }
  for (const Step& s : steps) replay.apply(s);
}

}  // namespace dsim
