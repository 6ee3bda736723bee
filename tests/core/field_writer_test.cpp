// FieldWriter writes exactly the text Json::dump() writes for the same fields: the trace
// writes typed payloads with it, and the trace-hash test pins those bytes.
#include "core/field_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dsim {
namespace {

struct Sample {
  std::string text;
  int64_t big = -9223372036854775807LL - 1;
  uint64_t ubig = 18446744073709551615ULL;
  template <typename Out>
  void write_fields(Out& out) const {
    out["text"] = text;
    out["view"] = std::string_view(text);
    out["literal"] = "lit";
    out["big"] = big;
    out["ubig"] = ubig;
    out["small"] = 7;
    out["flag"] = true;
    out["none"] = nullptr;
    out["ratio"] = 0.1;
    out["whole"] = 3.0;
    out["list"] = std::vector<int>{1, 2};
    Json nested = Json::object();
    nested["k"] = "v";
    out["nested"] = nested;
  }
};

std::string as_text(const Sample& s) {
  TextBuffer out;
  out += "{";
  FieldWriter w(out);
  s.write_fields(w);
  out += "}";
  return out.str();
}

std::string as_json(const Sample& s) {
  Json out = Json::object();
  s.write_fields(out);
  return out.dump();
}

TEST(FieldWriter, WritesWhatJsonDumpWrites) {
  for (std::string text : {std::string("plain"), std::string("quote \" backslash \\ slash /"),
                           std::string("\b\f\n\r\t\x01\x1f\x7f"), std::string("caf\xc3\xa9 \xe2\x82\xac"),
                           std::string("")}) {
    Sample s{text};
    EXPECT_EQ(as_text(s), as_json(s)) << text;
  }
}

// A value that writes its own string's text (WritesStringText), as 2PC's ids do: quoted
// as it is when plain, written again with its escapes when not, refused as dump() refuses
// when it is not UTF-8.
struct PiecesOfText {
  std::string head, tail;
  void append_text(TextBuffer& out) const {
    out.append(head);
    out.push_back('.');
    out.append(tail);
  }
  friend void to_json(Json& j, const PiecesOfText& t) { j = t.head + "." + t.tail; }
};
struct WithPieces {
  PiecesOfText id;
  template <typename Out>
  void write_fields(Out& out) const {
    out["id"] = id;
    out["after"] = 1;
  }
};

TEST(FieldWriter, WritesAValuesOwnTextAsDumpWritesIt) {
  for (const PiecesOfText& id : {PiecesOfText{"c1", "0.17"}, PiecesOfText{"quo\"te", "tab\t"},
                                 PiecesOfText{"caf\xc3\xa9", std::string(80, 'n')}, PiecesOfText{"", ""}}) {
    TextBuffer text;
    text += "{";
    FieldWriter w(text);
    WithPieces{id}.write_fields(w);
    text += "}";
    Json object = Json::object();
    WithPieces{id}.write_fields(object);
    EXPECT_EQ(text.view(), object.dump()) << id.head;
  }
  TextBuffer bad;
  FieldWriter w(bad);
  const WithPieces not_utf8{PiecesOfText{"\xff", "1"}};
  EXPECT_THROW(not_utf8.write_fields(w), Json::type_error);
}

TEST(FieldWriter, SaysWhetherItWroteAnything) {
  TextBuffer out;
  FieldWriter w(out);
  EXPECT_FALSE(w.written());
  w["a"] = 1;
  EXPECT_TRUE(w.written());
  EXPECT_EQ(out.view(), "\"a\":1");
}

}  // namespace
}  // namespace dsim
