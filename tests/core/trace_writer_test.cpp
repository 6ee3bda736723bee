// TraceWriter buffers lines itself and hands them to the file in large writes: what
// reaches the file, the consumer and the byte budget is still every line, in order.
#include "trace/trace_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace dsim {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string numbered_line(int i) {
  return "{\"ev\":\"line\",\"i\":" + std::to_string(i) + ",\"pad\":\"" +
         std::string(static_cast<size_t>(i % 97), 'x') + "\"}\n";
}

TEST(TraceWriter, EveryLineReachesTheFileInOrderAcrossManyFlushes) {
  const fs::path path = fs::temp_directory_path() / "dsim_trace_writer_flushes.jsonl";
  std::string error;
  std::vector<std::string> consumed;
  auto writer = TraceWriter::open(path.string(), UINT64_MAX, error,
                                  [&](std::string_view line) { consumed.emplace_back(line); });
  ASSERT_TRUE(writer) << error;
  std::string expected = "{\"ev\":\"header\",\"format\":\"dsim-trace\"}\n";
  writer->write_always(expected);
  int lines = 0;
  while (expected.size() < 3 * TraceWriter::kFlushBytes + 12345) {
    const std::string line = numbered_line(lines++);
    if (lines % 2 == 0) {
      ASSERT_TRUE(writer->write_event(line));
    } else {
      writer->begin_line() += line;  // built in place
      ASSERT_TRUE(writer->end_line());
    }
    expected += line;
  }
  EXPECT_EQ(writer->bytes_written(), expected.size());
  ASSERT_TRUE(writer->close(error)) << error;
  EXPECT_EQ(read_all(path), expected);
  ASSERT_EQ(consumed.size(), static_cast<size_t>(lines) + 1);
  EXPECT_EQ(consumed[5], numbered_line(4));
  fs::remove(path);
}

TEST(TraceWriter, LinesPastTheBudgetAreCountedNotWritten) {
  const fs::path path = fs::temp_directory_path() / "dsim_trace_writer_budget.jsonl";
  std::string error;
  auto writer = TraceWriter::open(path.string(), 100, error);
  ASSERT_TRUE(writer) << error;
  const std::string header = "{\"ev\":\"header\",\"format\":\"dsim-trace\"}\n";  // 38 bytes
  const std::string line = std::string(30, 'a') + "\n";                          // 31 bytes
  writer->write_always(header);
  writer->begin_line() += line;
  EXPECT_TRUE(writer->end_line());   // 69 bytes
  writer->begin_line() += line;
  EXPECT_TRUE(writer->end_line());   // 100: exactly the budget
  writer->begin_line() += "b\n";
  EXPECT_FALSE(writer->end_line());  // 102 would pass it: dropped
  EXPECT_FALSE(writer->write_event("c\n"));
  writer->write_always("{\"ev\":\"summary\"}\n");  // ignores the budget
  EXPECT_EQ(writer->lines_dropped(), 2u);
  EXPECT_TRUE(writer->truncated());
  ASSERT_TRUE(writer->close(error)) << error;
  EXPECT_EQ(read_all(path), header + line + line + "{\"ev\":\"summary\"}\n");
  fs::remove(path);
}

TEST(TraceWriter, FileFlushesTheBufferedLinesBeforeACommit) {
  const fs::path path = fs::temp_directory_path() / "dsim_trace_writer_commit.jsonl";
  std::string error;
  auto writer = TraceWriter::open(path.string(), UINT64_MAX, error);
  ASSERT_TRUE(writer) << error;
  const std::string header = "{\"ev\":\"header\",\"format\":\"dsim-trace\"}\n";
  writer->write_always(header);
  ASSERT_TRUE(commit_together({writer->file()}, error)) << error;
  EXPECT_EQ(read_all(path), header);
  fs::remove(path);
}

}  // namespace
}  // namespace dsim
