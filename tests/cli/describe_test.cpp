// `dsim describe` says what the scenario loader accepts: every described family, variant
// and check loads and nothing else does; each section's described settings are exactly the
// keys the loader knows there (read from its unknown-key message), per variant; and every
// setting set to its described default loads.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/describe.h"
#include "protocols/registry.h"
#include "scenario/scenario.h"

namespace dsim {
namespace {
namespace fs = std::filesystem;

Json read_json(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return Json::parse(s.str());
}

std::vector<Json> described_families() {
  std::vector<Json> out;
  for (const ProtocolFamily& f : protocol_families()) out.push_back(cli::describe_family_json(f));
  return out;
}

// A shipped scenario of the family, preferring one of the variant (its roles fit it), set
// to the variant. Prefers one with a random workload, which has its own section.
Json base_document(const std::string& family, const std::string& variant) {
  Json best;
  int best_score = -1;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(DSIM_SOURCE_DIR) / "scenarios")) {
    if (e.path().extension() == ".json" && e.path().filename().string().find(".schema.") == std::string::npos) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    Json doc = read_json(p);
    if (doc["protocol"]["name"] != family) continue;
    std::string v = doc["protocol"].value("variant", "");
    int score = (v == variant ? 2 : 0) + (doc.contains("workload") && doc["workload"].contains("random") ? 1 : 0);
    if (variant == "paxos-commit" && v != variant) continue;  // needs acceptor nodes
    if (variant != "paxos-commit" && v == "paxos-commit") continue;
    if (score > best_score) {
      best = doc;
      best_score = score;
    }
  }
  EXPECT_FALSE(best.is_null()) << "no shipped scenario of " << family;
  best["protocol"]["variant"] = variant;
  best.erase("expect");  // its check need not be among the checks a test selects
  // The scenario's settings of its own variant that this one has not (a ring's vnodes
  // under jump) would be refused.
  for (const ProtocolFamily& f : protocol_families()) {
    if (f.name != family) continue;
    for (const Setting& s : f.settings->settings()) {
      if (s.section == "protocol" && !SettingTable::applies(s, variant)) best["protocol"].erase(s.key);
    }
  }
  return best;
}

Scenario load(const Json& doc, const std::vector<std::string>& sets = {}) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  return ScenarioLoader(protocol_families()).load_json(doc, "<test>", overrides, std::nullopt);
}

// The keys the loader knows in the section at `path` ("protocol", "protocol.mistakes"):
// from the message refusing an unknown key there.
std::set<std::string> known_keys(const Json& doc, const std::string& path) {
  try {
    load(doc, {path + ".no_such_setting=1"});
  } catch (const ScenarioError& e) {
    std::string marker = "known keys here: ";
    std::string msg = e.problem();
    size_t at = msg.find(marker);
    EXPECT_NE(at, std::string::npos) << e.what();
    EXPECT_NE(e.path().find("no_such_setting"), std::string::npos) << e.what();
    std::set<std::string> out;
    std::stringstream list(msg.substr(at + marker.size()));
    std::string key;
    while (std::getline(list, key, ',')) out.insert(key.substr(key.find_first_not_of(' ')));
    return out;
  }
  ADD_FAILURE() << "an unknown key under " << path << " was accepted";
  return {};
}

bool lists(const Json& list, const std::string& item) {
  auto v = list.get<std::vector<std::string>>();
  return std::find(v.begin(), v.end(), item) != v.end();
}

const Json* described_row(const Json& family, const std::string& section, const std::string& key) {
  for (const Json& s : family["settings"]) {
    if (s["section"] == section && s["key"] == key) return &s;
  }
  return nullptr;
}

// Whether the described row applies to a run of `doc` (nullptr: every run): to its
// variant, to the value of its `when` choice, to the roles its nodes have, and through
// the object row that holds its section.
bool row_applies(const Json& family, const Json& row, const std::string& variant, const Json* doc) {
  if (row.contains("variants") && !lists(row["variants"], variant)) return false;
  std::string section = row["section"];
  if (row.contains("when") && doc != nullptr) {
    auto when = row["when"].begin();
    const Json* choice = described_row(family, section, when.key());
    EXPECT_NE(choice, nullptr) << when.key();
    if (choice != nullptr && row_applies(family, *choice, variant, doc)) {
      Json value = (*choice)["default"];
      // The object of the row's section in the document ("protocol", "protocol.mistakes").
      const Json* object = doc;
      std::stringstream parts(section);
      for (std::string part; object != nullptr && std::getline(parts, part, '.');) {
        object = object->is_object() && object->contains(part) ? &(*object)[part] : nullptr;
      }
      if (object != nullptr && object->contains(when.key())) value = (*object)[when.key()];
      // A choice's words, or a switch's booleans.
      const Json& values = when.value();
      if (std::find(values.begin(), values.end(), value) == values.end()) return false;
    }
  }
  if (row.contains("when_nonzero") && doc != nullptr) {
    const std::string key = row["when_nonzero"];
    const Json* number = described_row(family, section, key);
    EXPECT_NE(number, nullptr) << key;
    Json value = number != nullptr ? (*number)["default"] : Json(0);
    const Json* object = doc;
    std::stringstream parts(section);
    for (std::string part; object != nullptr && std::getline(parts, part, '.');) {
      object = object->is_object() && object->contains(part) ? &(*object)[part] : nullptr;
    }
    if (object != nullptr && object->contains(key)) value = (*object)[key];
    if (value.is_number() && value.get<double>() == 0) return false;
  }
  if (row.contains("checks") && doc != nullptr) {
    // The document's checks, or the family's defaults.
    const Json& run = doc->contains("checks") ? (*doc)["checks"] : family["default_checks"];
    bool any = false;
    for (const Json& c : row["checks"]) any = any || std::find(run.begin(), run.end(), c) != run.end();
    if (!any) return false;
  }
  if (row.contains("roles") && doc != nullptr) {
    bool any = false;
    for (const Json& role : row["roles"]) {
      const Json& nodes = (*doc)["nodes"];
      if (!nodes.is_object() || !nodes.contains(role.get<std::string>())) continue;
      const Json& entry = nodes[role.get<std::string>()];
      any = any || (entry.is_number() ? entry.get<int64_t>() > 0 : !entry.empty());
    }
    if (!any) return false;
  }
  size_t dot = section.rfind('.');
  if (dot != std::string::npos && section.find('[') == std::string::npos) {
    const Json* parent = described_row(family, section.substr(0, dot), section.substr(dot + 1));
    if (parent != nullptr) return row_applies(family, *parent, variant, doc);
  }
  return true;
}

// The keys of `section` described for a run of `doc` (nullptr: for the variant alone).
std::set<std::string> described_keys(const Json& family, const std::string& section, const std::string& variant,
                                     const Json* doc = nullptr) {
  std::set<std::string> out;
  for (const Json& s : family["settings"]) {
    if (s["section"] == section && row_applies(family, s, variant, doc)) out.insert(s["key"].get<std::string>());
  }
  return out;
}

TEST(Describe, EveryDescribedVariantLoadsAndAnUndescribedOneIsRefused) {
  for (const Json& f : described_families()) {
    std::string name = f["name"];
    for (const std::string& v : f["variants"].get<std::vector<std::string>>()) {
      SCOPED_TRACE(name + " " + v);
      Scenario s = load(base_document(name, v));
      EXPECT_EQ(s.family->name, name);
      EXPECT_EQ(s.variant, v);
    }
    Json doc = base_document(name, f["default_variant"]);
    doc["protocol"]["variant"] = "no-such-variant";
    EXPECT_THROW(load(doc), ScenarioError) << name;
  }
}

TEST(Describe, OnlyDescribedFamiliesLoad) {
  Json doc = base_document("2pc", "basic");
  doc["protocol"]["name"] = "2PC";  // names are exact
  EXPECT_THROW(load(doc), ScenarioError);
  std::set<std::string> described, registered;
  for (const Json& f : described_families()) described.insert(f["name"].get<std::string>());
  for (const ProtocolFamily& f : protocol_families()) registered.insert(f.name);
  EXPECT_EQ(described, registered);
}

TEST(Describe, EveryDescribedCheckLoadsAndAnUndescribedOneIsRefused) {
  for (const Json& f : described_families()) {
    std::string name = f["name"];
    Json doc = base_document(name, f["default_variant"]);
    for (const std::string& c : f["checks"].get<std::vector<std::string>>()) {
      Json one = doc;
      one["checks"] = Json::array({c});
      // Another check's bound (the ring's availability_min with only fresh_reads) is refused.
      for (const Json& s : f["settings"]) {
        if (s.contains("checks") && !lists(s["checks"], c) && one.contains(s["section"].get<std::string>())) {
          one[s["section"].get<std::string>()].erase(s["key"].get<std::string>());
        }
      }
      EXPECT_EQ(load(one).checks, std::vector<std::string>{c}) << name;
    }
    doc["checks"] = Json::array({"no_such_check"});
    EXPECT_THROW(load(doc), ScenarioError) << name;
    doc.erase("checks");
    EXPECT_EQ(load(doc).checks, f["default_checks"].get<std::vector<std::string>>()) << name;
  }
}

// The family's check table names each check once: the check it makes under a name
// reports that name, for every variant, and describe gives each a description.
TEST(Describe, EveryCheckMadeUnderItsTableNameReportsThatName) {
  for (const Json& f : described_families()) {
    std::string name = f["name"];
    const std::vector<std::string> checks = f["checks"].get<std::vector<std::string>>();
    ASSERT_FALSE(checks.empty()) << name;
    EXPECT_EQ(f["check_descriptions"].size(), checks.size()) << name;
    for (const std::string& c : checks) EXPECT_FALSE(f["check_descriptions"].value(c, "").empty()) << name << " " << c;
    for (const std::string& v : f["variants"].get<std::vector<std::string>>()) {
      SCOPED_TRACE(name + " " + v);
      Scenario s = load(base_document(name, v));
      // A family may put a keeper of its checks' shared state before them (2PC's ledger).
      std::vector<std::unique_ptr<Checker>> made = s.protocol->make_checkers(checks);
      ASSERT_GE(made.size(), checks.size());
      const size_t first = made.size() - checks.size();
      for (size_t i = 0; i < checks.size(); ++i) EXPECT_EQ(made[first + i]->name(), checks[i]);
      for (const std::string& c : checks) EXPECT_EQ(s.protocol->make_checker(c)->name(), c);
    }
  }
}

TEST(Describe, EachSectionsSettingsAreTheKeysTheLoaderKnowsPerVariant) {
  for (const Json& f : described_families()) {
    std::string name = f["name"];
    std::set<std::string> sections;
    for (const Json& s : f["settings"]) sections.insert(s["section"].get<std::string>());
    for (const std::string& v : f["variants"].get<std::vector<std::string>>()) {
      SCOPED_TRACE(name + " " + v);
      Json doc = base_document(name, v);
      std::set<std::string> protocol = described_keys(f, "protocol", v, &doc);
      protocol.insert({"name", "variant"});  // read by the loader itself
      EXPECT_EQ(known_keys(doc, "protocol"), protocol);
      EXPECT_EQ(known_keys(doc, "workload"), described_keys(f, "workload", v, &doc));
      for (const std::string& section : sections) {
        if (section == "protocol" || section == "workload" || section.find('[') != std::string::npos) continue;
        // A nested object: described only where its parent is, and read when present.
        if (section == "workload.random" && !doc["workload"].contains("random")) continue;
        size_t dot = section.rfind('.');
        const Json* parent = described_row(f, section.substr(0, dot), section.substr(dot + 1));
        ASSERT_NE(parent, nullptr) << section;
        if (!row_applies(f, *parent, v, &doc)) {
          // Refused as a whole, saying what it applies to (protocol.replication without
          // replica nodes).
          try {
            load(doc, {section + ".no_such_setting=1"});
            ADD_FAILURE() << section << " was accepted where it does not apply";
          } catch (const ScenarioError& e) {
            EXPECT_EQ(e.path(), "$." + section) << e.what();
            EXPECT_NE(e.problem().find("applies only"), std::string::npos) << e.what();
          }
          continue;
        }
        EXPECT_EQ(known_keys(doc, section), described_keys(f, section, v, &doc)) << section;
      }
    }
  }
}

TEST(Describe, ReplicationSettingsLoadAtTheirDescribedDefaults) {
  Json f = cli::describe_family_json(*std::find_if(protocol_families().begin(), protocol_families().end(),
                                                   [](const ProtocolFamily& p) { return p.name == "2pc"; }));
  Json doc = read_json(fs::path(DSIM_SOURCE_DIR) / "scenarios" / "2pc" / "participant-failover-sync-random-faults.json");
  int rows = 0;
  for (const Json& s : f["settings"]) {
    if (s["section"] != "protocol.replication") continue;
    ++rows;
    std::string set = "protocol.replication." + s["key"].get<std::string>() + "=" + s["default"].dump();
    EXPECT_NO_THROW(load(doc, {set})) << set;
  }
  EXPECT_EQ(rows, 4);
  EXPECT_EQ(known_keys(doc, "protocol.replication"), described_keys(f, "protocol.replication", "basic"));
}

TEST(Describe, ScriptedTransactionKeysAreDescribed) {
  // A script element's keys depend on its kind (transfer, audit, double): the loader knows
  // a subset of the described ones for each element of the shipped scripts.
  Json f = cli::describe_family_json(*std::find_if(protocol_families().begin(), protocol_families().end(),
                                                   [](const ProtocolFamily& p) { return p.name == "2pc"; }));
  Json doc = read_json(fs::path(DSIM_SOURCE_DIR) / "scenarios" / "2pc" / "coordinator-crash-blocking.json");
  doc["protocol"]["variant"] = "basic";
  ASSERT_TRUE(doc["workload"].contains("script"));
  for (size_t i = 0; i < doc["workload"]["script"].size(); ++i) {
    std::string element = "workload.script." + std::to_string(i);
    std::set<std::string> known = known_keys(doc, element), described = described_keys(f, "workload.script[]", "basic");
    EXPECT_TRUE(std::includes(described.begin(), described.end(), known.begin(), known.end())) << element;
    for (const std::string& kind : {"transfer", "double"}) {
      if (!doc["workload"]["script"][i].contains(kind)) continue;
      std::set<std::string> inner = known_keys(doc, element + "." + kind);
      std::set<std::string> rows = described_keys(f, "workload.script[]." + kind, "basic");
      EXPECT_TRUE(std::includes(rows.begin(), rows.end(), inner.begin(), inner.end())) << element << "." << kind;
    }
  }
}

TEST(Describe, EverySettingLoadsAtItsDescribedDefault) {
  for (const Json& f : described_families()) {
    std::string name = f["name"];
    for (const std::string& v : f["variants"].get<std::vector<std::string>>()) {
      Json doc = base_document(name, v);
      for (const Json& s : f["settings"]) {
        std::string section = s["section"];
        if (s["default"].is_null() || section.find('[') != std::string::npos) continue;
        if (section == "workload.random" && !doc["workload"].contains("random")) continue;
        // Rows that do not apply to this document (protocol.replication without replica
        // nodes) are loaded where a shipped scenario has what they need (below).
        if (!described_keys(f, section, v, &doc).count(s["key"].get<std::string>())) continue;
        std::string set = section + "." + s["key"].get<std::string>() + "=" + s["default"].dump();
        EXPECT_NO_THROW(load(doc, {set})) << name << " " << v << ": " << set;
      }
    }
  }
}

// The loader reads a null setting as one left out (ConfigReader::get), and the schema
// says so for every row (tests/core/test_scenario_schema.py): every row that applies loads
// as null exactly when the document loads without it, and a required one is refused.
TEST(Describe, EverySettingLoadsAsNullWhereItApplies) {
  int rows = 0;
  for (const Json& f : described_families()) {
    std::string name = f["name"];
    for (const std::string& v : f["variants"].get<std::vector<std::string>>()) {
      Json doc = base_document(name, v);
      for (const Json& s : f["settings"]) {
        std::string section = s["section"];
        if (section.find('[') != std::string::npos) continue;
        if (section == "workload.random" && !doc["workload"].contains("random")) continue;
        if (!described_keys(f, section, v, &doc).count(s["key"].get<std::string>())) continue;
        std::string set = section + "." + s["key"].get<std::string>() + "=null";
        Json without = doc;
        Json* object = &without;
        std::stringstream parts(section);
        for (std::string part; object != nullptr && std::getline(parts, part, '.');) {
          object = object->is_object() && object->contains(part) ? &(*object)[part] : nullptr;
        }
        if (object != nullptr) object->erase(s["key"].get<std::string>());
        bool loads_without = true;
        try {
          load(without);
        } catch (const ScenarioError&) {
          loads_without = false;
        }
        if (loads_without) {
          EXPECT_NO_THROW(load(doc, {set})) << name << " " << v << ": " << set;
        } else {
          EXPECT_THROW(load(doc, {set}), ScenarioError) << name << " " << v << ": " << set;
        }
        ++rows;
      }
    }
  }
  EXPECT_GT(rows, 300);
  // A scripted transaction's time is required: null is refused, not read as 0.
  Json doc = read_json(fs::path(DSIM_SOURCE_DIR) / "scenarios" / "2pc" / "coordinator-crash-blocking.json");
  try {
    load(doc, {"workload.script.0.at=null"});
    ADD_FAILURE() << "a null scripted time was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "$.workload.script[0].at") << e.what();
  }
}

TEST(Describe, ASettingOfAnotherVariantIsRefused) {
  // locks: "ttl" is described for redis and redlock only, and zookeeper refuses it.
  Json doc = base_document("locks", "zookeeper");
  EXPECT_THROW(load(doc, {"protocol.ttl=\"1s\""}), ScenarioError);
  EXPECT_NO_THROW(load(base_document("locks", "redis"), {"protocol.ttl=\"1s\""}));
  // 2pc: a mistake switched on outside its described variants is refused.
  EXPECT_THROW(load(base_document("2pc", "three-phase"), {"protocol.mistakes.coordinator_skip_collecting=true"}),
               ScenarioError);
}

}  // namespace
}  // namespace dsim
