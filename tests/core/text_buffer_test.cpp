// TextBuffer: what is appended stays, in order, through growth, truncation and moves; a
// cursor from room() writes where end_at() then ends the text; text copied from inside the
// buffer survives the growth the copy causes.
#include "core/text_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <utility>

namespace dsim {
namespace {

TEST(TextBuffer, KeepsWhatIsAppendedThroughGrowth) {
  TextBuffer b;
  EXPECT_TRUE(b.empty());
  std::string expected;
  for (int i = 0; i < 5000; ++i) {  // many doublings from an empty buffer
    const std::string piece = std::to_string(i) + (i % 7 == 0 ? std::string(300, 'x') : ",");
    b.append(piece);
    expected += piece;
    if (i % 3 == 0) {
      b.push_back('|');
      expected.push_back('|');
    }
  }
  EXPECT_EQ(b.view(), expected);
  EXPECT_EQ(b.size(), expected.size());
  EXPECT_GE(b.capacity(), b.size());
  EXPECT_EQ(b.view(10), std::string_view(expected).substr(10));
  b.truncate(100);
  EXPECT_EQ(b.str(), expected.substr(0, 100));
  b.clear();
  EXPECT_TRUE(b.empty());
  b.append(nullptr, 0);  // an empty view's null data
  EXPECT_EQ(b.size(), 0u);
}

TEST(TextBuffer, ACursorWritesWhereEndAtEndsTheText) {
  TextBuffer b;
  b += "ab";
  char* p = b.room(1000);  // more than the first block: grows, keeping "ab"
  std::memset(p, 'z', 1000);
  b.end_at(p + 3);  // only three of them count
  EXPECT_EQ(b.view(), "abzzz");
  b.reserve(100000);
  const size_t capacity = b.capacity();
  EXPECT_GE(capacity, 100000u);
  b.append(std::string(90000, 'y'));
  EXPECT_EQ(b.capacity(), capacity) << "reserve made room for all of it";
  EXPECT_EQ(b.view().substr(0, 6), "abzzzy");
}

TEST(TextBuffer, CopiesTextFromItselfAcrossAGrowth) {
  TextBuffer b;
  b += "line one\n";
  while (b.capacity() - b.size() >= b.size()) b.append(b.data(), b.size());  // fill, no growth
  const std::string before = b.str();
  b.append(b.data(), b.size());  // this copy grows the block it reads from
  EXPECT_EQ(b.view(), before + before);
}

TEST(TextBuffer, MovesItsText) {
  TextBuffer a;
  a += "moved";
  TextBuffer b(std::move(a));
  EXPECT_EQ(b.view(), "moved");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): left empty, as documented
  a += "again";
  EXPECT_EQ(a.view(), "again");
  b = std::move(a);
  EXPECT_EQ(b.view(), "again");
}

}  // namespace
}  // namespace dsim
