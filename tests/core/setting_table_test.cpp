// The settings table's row scoping on synthetic tables: the cases no family's table
// triggers today, so that a family that adds such a row gets what the table promises.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "scenario/setting_table.h"

namespace dsim {
namespace {

using Type = Setting::Type;

Cluster one_node() {
  Cluster c;
  c.add("n0", "node");
  return c;
}

// "protocol.extra" exists only with mode b; its rows are judged where it is.
SettingTable nested_table() {
  return SettingTable({
      Setting{.section = "protocol", .key = "mode", .type = Type::kChoice, .fallback = std::string("a"),
              .choices = {"a", "b"}, .meaning = "m"},
      Setting{.section = "protocol", .key = "extra", .type = Type::kObject, .when_key = "mode",
              .when_values = {"b"}, .meaning = "only with mode b"},
      Setting{.section = "protocol.extra", .key = "x", .type = Type::kInteger, .fallback = int64_t{1}, .min = 0,
              .max = 9, .meaning = "x"},
  });
}

TEST(SettingTableScope, ANestedSectionsParentIsJudgedOnTheObjectHoldingIt) {
  const SettingTable t = nested_table();
  const Cluster cluster = one_node();
  Json doc = Json::parse(R"({"mode": "b", "extra": {"x": 3}})");
  ConfigReader protocol(doc, "f.json", "$.protocol");
  ConfigReader extra = protocol.object("extra");
  // Before the fix the parent row was judged on an empty object (mode a): refused.
  EXPECT_TRUE(t.applies(extra, "x", "v", cluster));
  EXPECT_NO_THROW(t.refuse_inapplicable(extra, "v", cluster));
  EXPECT_EQ(t.integer(extra, "x"), 3);

  Json other = Json::parse(R"({"mode": "a", "extra": {"x": 3}})");
  ConfigReader p2(other, "f.json", "$.protocol");
  ConfigReader e2 = p2.object("extra");
  EXPECT_FALSE(t.applies(e2, "x", "v", cluster));
  try {
    t.refuse_inapplicable(e2, "v", cluster);
    FAIL() << "expected a refusal";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "$.protocol.extra.x");
    EXPECT_NE(e.problem().find("applies only with mode b, not a"), std::string::npos) << e.what();
  }
}

TEST(SettingTableScope, AChoiceWithAComputedDefaultDoesNotThrow) {
  const SettingTable t({
      Setting{.section = "protocol", .key = "recipe", .type = Type::kChoice, .default_note = "by variant",
              .choices = {"p", "q"}, .meaning = "computed default"},
      Setting{.section = "protocol", .key = "delay", .type = Type::kDuration, .fallback = Duration::millis(1),
              .when_key = "recipe", .when_values = {"q"}, .meaning = "only with recipe q"},
  });
  const Cluster cluster = one_node();
  Json given = Json::parse(R"({"recipe": "q", "delay": "5ms"})");
  ConfigReader r1(given, "f.json", "$.protocol");
  EXPECT_TRUE(t.applies(r1, "delay", "v", cluster));
  Json other = Json::parse(R"({"recipe": "p", "delay": "5ms"})");
  ConfigReader r2(other, "f.json", "$.protocol");
  EXPECT_FALSE(t.applies(r2, "delay", "v", cluster));
  // Not given: the table cannot tell the default, so the row is refused and says why
  // (before the fix: std::bad_variant_access from std::get on the empty default).
  Json absent = Json::parse(R"({"delay": "5ms"})");
  ConfigReader r3(absent, "f.json", "$.protocol");
  EXPECT_FALSE(t.applies(r3, "delay", "v", cluster));
  try {
    t.refuse_inapplicable(r3, "v", cluster);
    FAIL() << "expected a refusal";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.path(), "$.protocol.delay");
    EXPECT_NE(e.problem().find("recipe is not given (its default is computed: by variant)"), std::string::npos)
        << e.what();
  }
}

TEST(SettingTableScope, ABooleanSwitchScopesARow) {
  const SettingTable t({
      Setting{.section = "protocol", .key = "lazy", .type = Type::kBoolean, .fallback = false, .meaning = "switch"},
      Setting{.section = "protocol", .key = "delay", .type = Type::kDuration, .fallback = Duration::millis(1),
              .when_key = "lazy", .when_values = {"true"}, .meaning = "only with lazy"},
  });
  const Cluster cluster = one_node();
  Json on = Json::parse(R"({"lazy": true, "delay": "5ms"})");
  EXPECT_TRUE(t.applies(ConfigReader(on, "f.json", "$.protocol"), "delay", "v", cluster));
  Json off = Json::parse(R"({"delay": "5ms"})");
  EXPECT_FALSE(t.applies(ConfigReader(off, "f.json", "$.protocol"), "delay", "v", cluster));
  EXPECT_EQ(t.to_json()[1]["when"], Json::parse(R"({"lazy": [true]})"));
}

TEST(SettingTableScope, AScopeNamingNoChoiceIsABugOfTheTable) {
  EXPECT_THROW(SettingTable({Setting{.section = "protocol", .key = "d", .type = Type::kDuration,
                                     .when_key = "nothing", .when_values = {"x"}}}),
               std::logic_error);
}

}  // namespace
}  // namespace dsim
