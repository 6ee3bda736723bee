#include "core/json_object.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dsim {
namespace {

// json_object replaced nlohmann's initializer lists on the hot paths; traces must not
// change by a byte, so it must build exactly what the initializer list built.
TEST(JsonObject, BuildsWhatTheInitializerListBuilt) {
  std::string id = "coord.0.17";
  const std::string& ref = id;
  std::vector<std::string> names = {"p1", "p3"};
  int64_t hops = 3;
  Json nested = Json::array({1, 2});
  Json built = json_object("tx", id, "ref", ref, "literal", "commit", "hops", hops, "flag", true,
                           "none", nullptr, "names", names, "nested", nested, "ratio", 0.25,
                           "empty", Json::object());
  Json listed = Json{{"tx", id},         {"ref", ref},       {"literal", "commit"},
                     {"hops", hops},     {"flag", true},     {"none", nullptr},
                     {"names", names},   {"nested", nested}, {"ratio", 0.25},
                     {"empty", Json::object()}};
  EXPECT_EQ(built, listed);
  EXPECT_EQ(built.dump(), listed.dump());  // the same key order, not just equal
  EXPECT_TRUE(built.at("hops").is_number_integer());
}

TEST(JsonObject, KeepsTheOrderGivenNotTheSortedOne) {
  Json j = json_object("zeta", 1, "alpha", 2, "mid", 3);
  EXPECT_EQ(j.dump(), R"({"zeta":1,"alpha":2,"mid":3})");
}

TEST(JsonObject, NoFieldsIsAnEmptyObjectNotNull) {
  Json j = json_object();
  EXPECT_TRUE(j.is_object());
  EXPECT_EQ(j.dump(), "{}");
}

TEST(JsonObject, MovesItsValuesIn) {
  std::string big(1000, 'x');
  Json j = json_object("big", std::move(big), "key", std::string("k"));
  EXPECT_EQ(j.at("big").get_ref<const std::string&>().size(), 1000u);
  EXPECT_EQ(j.at("key"), "k");
}

TEST(JsonObject, KeysMayBeComputed) {
  std::string node = "p2";
  Json j = json_object(node, 5, node + "_next", 6);
  EXPECT_EQ(j.dump(), R"({"p2":5,"p2_next":6})");
}

}  // namespace
}  // namespace dsim
