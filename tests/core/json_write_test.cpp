// The trace's own JSON writing (core/json_write.h, object_of/array_of in
// core/field_writer.h, JsonLine) writes exactly the bytes nlohmann::ordered_json::dump()
// writes for the same value: the trace-hash test pins those bytes for the shipped
// scenarios; these tests cover what the scenarios do not reach (escapes, UTF-8, extremes).
#include "core/json_write.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/field_writer.h"
#include "core/rng.h"
#include "trace/json_line.h"

namespace dsim {
namespace {

std::string written(const Json& value) {
  TextBuffer out;
  out += "prefix";
  append_json(out, value);
  EXPECT_EQ(out.view().substr(0, 6), "prefix") << "append_json keeps what was there";
  return std::string(out.view(6));
}

std::string as_json_string(std::string_view s) {
  TextBuffer out;
  append_json_string(out, s);
  return out.str();
}

TEST(JsonWrite, StringsAsDumpWritesThem) {
  const std::vector<std::string> cases = {
      "",
      "plain",
      "quote \" backslash \\ slash / end",
      "\"\"\\\\",
      std::string("\0nul", 4),
      "\b\f\n\r\t\x01\x0b\x0e\x1f",
      "\x7f delete stays",
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",   // 2, 3 and 4-byte sequences
      "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf",  // range edges
      "mixed \"caf\xc3\xa9\"\n\tend\\",
  };
  for (const std::string& s : cases) {
    EXPECT_EQ(as_json_string(s), Json(s).dump()) << s;
  }
}

TEST(JsonWrite, InvalidUtf8ThrowsWhatDumpThrows) {
  const std::vector<std::string> cases = {
      "\x80",          // a continuation byte alone
      "ab\xc3",        // cut short
      "\xc0\xaf",      // overlong
      "\xe0\x80\xaf",  // overlong
      "\xed\xa0\x80",  // a surrogate
      "\xf4\x90\x80\x80",  // past U+10FFFF
      "\xff",
  };
  for (const std::string& s : cases) {
    std::string expected_what;
    try {
      (void)Json(s).dump();
      ADD_FAILURE() << "dump() accepted invalid UTF-8";
    } catch (const Json::type_error& e) {
      expected_what = e.what();
    }
    try {
      (void)as_json_string(s);
      ADD_FAILURE() << "append_json_string accepted invalid UTF-8";
    } catch (const Json::type_error& e) {
      EXPECT_EQ(std::string(e.what()), expected_what);
    }
  }
}

// Random byte strings, most of them with bytes that need care: the two agree on every one,
// in what they write or in refusing it.
TEST(JsonWrite, RandomStringsAgreeWithDump) {
  static constexpr unsigned char kInteresting[] = {
      0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, '"',  '\\', '/',  'a',  0x7f, 0x80, 0x8f,
      0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
      0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
  Rng rng(42);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const uint64_t length = rng.uniform(8);
    for (uint64_t k = 0; k < length; ++k) {
      s.push_back(static_cast<char>(kInteresting[rng.uniform(sizeof kInteresting)]));
    }
    std::string expected;
    bool dump_threw = false;
    try {
      expected = Json(s).dump();
    } catch (const Json::type_error&) {
      dump_threw = true;
    }
    bool we_threw = false;
    std::string got;
    try {
      got = as_json_string(s);
    } catch (const Json::type_error&) {
      we_threw = true;
    }
    ASSERT_EQ(we_threw, dump_threw) << testing::PrintToString(s);
    if (!dump_threw) {
      ASSERT_EQ(got, expected) << testing::PrintToString(s);
      ++accepted;
    }
  }
  EXPECT_GT(accepted, 1000);  // both branches were exercised
}

// The word-at-a-time scan: every byte value at every place of strings long enough to fill
// words, and a string whose bytes needing care come after whole plain words.
TEST(JsonWrite, ThePlainPrefixEndsAtTheFirstByteThatNeedsCare) {
  auto plain = [](unsigned b) { return b >= 0x20 && b < 0x80 && b != '"' && b != '\\'; };
  for (size_t length = 1; length <= 25; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (unsigned b = 0; b < 256; ++b) {
        std::string s(length, 'a');
        s[at] = static_cast<char>(b);
        ASSERT_EQ(plain_ascii_prefix(s), plain(b) ? length : at) << "byte " << b << " at " << at << " of " << length;
      }
    }
  }
  EXPECT_EQ(plain_ascii_prefix(""), 0u);
  EXPECT_EQ(plain_ascii_prefix("0123456789abcdef~\x7f\"tail"), 18u);
}

// Strings up to 64 bytes are copied as they are tested, longer ones tested then copied:
// every byte value at every place of strings of both kinds, written whole.
TEST(JsonWrite, EveryByteAtEveryPlaceIsWrittenAsDumpWritesIt) {
  auto plain = [](unsigned b) { return b >= 0x20 && b < 0x80 && b != '"' && b != '\\'; };
  EXPECT_EQ(as_json_string(""), "\"\"");
  for (size_t length = 1; length <= 72; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (unsigned b = 0; b < 256; ++b) {
        std::string s(length, 'a');
        s[at] = static_cast<char>(b);
        if (plain(b)) {
          ASSERT_EQ(as_json_string(s), "\"" + s + "\"") << "byte " << b << " at " << at << " of " << length;
        } else if (b < 0x80) {
          ASSERT_EQ(as_json_string(s), Json(s).dump()) << "byte " << b << " at " << at << " of " << length;
        } else {  // a lone byte of 0x80 and up is not UTF-8
          ASSERT_THROW(as_json_string(s), Json::type_error) << "byte " << b << " at " << at << " of " << length;
        }
      }
    }
  }
}

// Longer random strings, mostly plain: whole plain words before, between and after the
// bytes that need care.
TEST(JsonWrite, LongMostlyPlainStringsAgreeWithDump) {
  static constexpr unsigned char kCare[] = {0x00, 0x0a, 0x1f, '"', '\\', 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0x82, 0xac};
  Rng rng(7);
  int accepted = 0, escaped = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    const uint64_t length = rng.uniform(40);
    for (uint64_t k = 0; k < length; ++k) {
      s.push_back(rng.uniform(8) == 0 ? static_cast<char>(kCare[rng.uniform(sizeof kCare)])
                                      : static_cast<char>(' ' + rng.uniform(95)));
    }
    std::string expected;
    try {
      expected = Json(s).dump();
    } catch (const Json::type_error&) {
      EXPECT_THROW(as_json_string(s), Json::type_error) << testing::PrintToString(s);
      continue;
    }
    ASSERT_EQ(as_json_string(s), expected) << testing::PrintToString(s);
    ++accepted;
    escaped += expected.size() != s.size() + 2;
  }
  EXPECT_GT(accepted, 5000);
  EXPECT_GT(escaped, 1000);
}

// Keys are written with their comma and colon in one go when plain, and escaped like any
// string when not.
TEST(JsonWrite, KeysAsDumpWritesThem) {
  const std::vector<std::string> keys = {"t", "a_rather_long_key_name", "", "quo\"te", "back\\slash",
                                         std::string("nul\0", 4), "caf\xc3\xa9", "tab\tkey",
                                         std::string(70, 'k'), std::string(69, 'q') + "\""};
  Json expected = Json::object();
  TextBuffer text;
  text += "{";
  FieldWriter out(text);
  for (size_t k = 0; k < keys.size(); ++k) {
    out[keys[k]] = static_cast<int64_t>(k);
    expected[keys[k]] = static_cast<int64_t>(k);
  }
  text += "}";
  EXPECT_EQ(text.view(), expected.dump());
  TextBuffer buffer;
  JsonLine line(buffer);
  for (size_t k = 0; k < keys.size(); ++k) line.add(keys[k], static_cast<int64_t>(k));
  EXPECT_EQ(line.finish(), expected.dump() + "\n");
  // Keys written as literals take the literal overloads: plain ones, ones needing escapes,
  // and a char array whose text ends before the array does.
  char shorter[16] = "ab";
  TextBuffer literal;
  literal += "{";
  FieldWriter literal_out(literal);
  literal_out["plain"] = 1;
  literal_out["quo\"te"] = 2;
  literal_out["tab\tkey"] = 3;
  literal_out[shorter] = 4;
  const char unterminated[3] = {'x', 'y', 'z'};  // no NUL: the key is the whole array
  literal_out[unterminated] = 6;
  literal_out[""] = 5;
  literal += "}";
  const Json literal_expected = {{"plain", 1}, {"quo\"te", 2}, {"tab\tkey", 3}, {"ab", 4}, {"xyz", 6}, {"", 5}};
  EXPECT_EQ(literal.view(), literal_expected.dump());
  TextBuffer literal_buffer;
  JsonLine literal_line(literal_buffer);
  literal_line.add("plain", 1).add("quo\"te", 2).add("tab\tkey", 3).add(shorter, 4).add(unterminated, 6).add("", 5);
  EXPECT_EQ(literal_line.finish(), literal_expected.dump() + "\n");
  TextBuffer bad;
  FieldWriter invalid(bad);
  EXPECT_THROW(invalid["\xff"] = 1, Json::type_error);
}

TEST(JsonWrite, NumbersAsDumpWritesThem) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{7}, int64_t{-123456789},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    TextBuffer out;
    append_json_int(out, v);
    EXPECT_EQ(out.view(), Json(v).dump());
    EXPECT_EQ(written(Json(v)), Json(v).dump());
  }
  for (uint64_t v : {uint64_t{0}, uint64_t{10}, std::numeric_limits<uint64_t>::max()}) {
    TextBuffer out;
    append_json_uint(out, v);
    EXPECT_EQ(out.view(), Json(v).dump());
    EXPECT_EQ(written(Json(v)), Json(v).dump());
  }
  for (double v : {0.0, -0.0, 0.1, 3.0, 1e300, -2.5e-7, std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::quiet_NaN()}) {
    EXPECT_EQ(written(Json(v)), Json(v).dump()) << v;
  }
}

TEST(JsonWrite, EveryKindOfValueAsDumpWritesIt) {
  Json nested = Json::object();
  nested["z"] = 1;  // insertion order, not sorted
  nested["a"] = Json::array({1, "two", nullptr, true, false, 2.5, Json::object(), Json::array()});
  nested["key \"quoted\"\n"] = "value\t\xc3\xa9";
  nested["empty"] = Json::object();
  nested["deep"] = Json::parse(R"({"x":[[{"y":[-1,18446744073709551615]}]]})");
  for (const Json& v : {Json(), Json(true), Json("s"), Json::array(), Json::object(), nested}) {
    EXPECT_EQ(written(v), v.dump());
  }
}

// A write_fields that nests objects and arrays writes the same text through either sink.
struct Nested {
  std::vector<std::pair<std::string, std::vector<int64_t>>> groups;
  template <typename Out>
  void write_fields(Out& out) const {
    out["name"] = std::string_view("n\"1");
    out["groups"] = object_of([&](auto& o) {
      for (const auto& [key, values] : groups) {
        o[key] = array_of([&](auto& a) {
          for (int64_t v : values) a.push_back(v);
          a.push_back(object_of([&](auto& tail) { tail["count"] = values.size(); }));
          a.push_back("end");
        });
      }
    });
    out["empty_object"] = object_of([](auto&) {});
    out["empty_array"] = array_of([](auto&) {});
    out["list"] = array_of([](auto& a) {
      a.push_back(array_of([](auto& inner) { inner.push_back(nullptr); }));
      a.push_back(true);
      a.push_back(Json::object({{"j", 1}}));
    });
  }
};

TEST(JsonWrite, NestedWritersMatchTheJsonObject) {
  for (const Nested& n : {Nested{}, Nested{{{"a", {1, -2}}, {"b\\", {}}}}}) {
    TextBuffer text;
    text += "{";
    FieldWriter w(text);
    n.write_fields(w);
    text += "}";
    Json object = Json::object();
    n.write_fields(object);
    EXPECT_EQ(text.view(), object.dump());
  }
}

TEST(JsonWrite, JsonLineWritesWhatDumpWrites) {
  TextBuffer buffer;
  buffer += "earlier line\n";
  JsonLine line(buffer, JsonLine::Append{});
  line.add("t_ns", int64_t{-5}).add("ev", "send\x01").add("id", uint64_t{18446744073709551615ull});
  line.add("flag", false).add("text", Json::parse(R"({"a":[1,"b"]})")).add_text("raw", "\"q\"");
  const std::string_view text = line.finish();
  Json expected = Json::object();
  expected["t_ns"] = -5;
  expected["ev"] = "send\x01";
  expected["id"] = 18446744073709551615ull;
  expected["flag"] = false;
  expected["text"] = Json::parse(R"({"a":[1,"b"]})");
  expected["raw"] = "q";
  EXPECT_EQ(text, expected.dump() + "\n");
  EXPECT_EQ(buffer.view(), "earlier line\n" + expected.dump() + "\n");
}

}  // namespace
}  // namespace dsim
