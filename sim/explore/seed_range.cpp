#include "explore/seed_range.h"

#include <charconv>

namespace dsim::explore {
namespace {

std::optional<uint64_t> parse_u64(std::string_view text) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

// The smallest seed >= from that the shard owns, if it does not overflow.
std::optional<uint64_t> first_owned_from(uint64_t from, Shard shard) {
  uint64_t step = (shard.index + shard.count - from % shard.count) % shard.count;
  if (from > UINT64_MAX - step) return std::nullopt;
  return from + step;
}

}  // namespace

std::optional<SeedRange> parse_seed_range(std::string_view text, std::string& error) {
  size_t dots = text.find("..");
  std::optional<uint64_t> a = parse_u64(text.substr(0, dots));
  std::optional<uint64_t> b = dots == std::string_view::npos ? a : parse_u64(text.substr(dots + 2));
  if (!a || !b) {
    error = "expected seeds as A..B (inclusive, non-negative integers) or N, got \"" +
            std::string(text) + "\"";
    return std::nullopt;
  }
  if (*a > *b) {
    error = "expected A <= B in --seeds A..B, got \"" + std::string(text) + "\"";
    return std::nullopt;
  }
  return SeedRange{*a, *b};
}

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  size_t slash = text.find('/');
  std::optional<uint64_t> i = parse_u64(text.substr(0, slash));
  std::optional<uint64_t> n =
      slash == std::string_view::npos ? std::nullopt : parse_u64(text.substr(slash + 1));
  if (!i || !n || *n == 0 || *i >= *n) {
    error = "expected --shard I/N with 0 <= I < N (shards count from 0), got \"" +
            std::string(text) + "\"";
    return std::nullopt;
  }
  return Shard{*i, *n};
}

uint64_t owned_seed_count(SeedRange range, Shard shard) {
  std::optional<uint64_t> first = first_owned_from(range.first, shard);
  if (!first || *first > range.last) return 0;
  return (range.last - *first) / shard.count + 1;
}

SeedSequence::SeedSequence(SeedRange range, Shard shard, std::set<uint64_t> skip)
    : range_(range), shard_(shard), skip_(std::move(skip)) {
  cursor_ = first_owned_from(range.first, shard);
  if (cursor_ && *cursor_ > range.last) cursor_.reset();
}

std::optional<uint64_t> SeedSequence::next() {
  while (cursor_) {
    uint64_t seed = *cursor_;
    if (range_.last - seed < shard_.count) {
      cursor_.reset();  // the next owned seed would pass the end (or overflow)
    } else {
      cursor_ = seed + shard_.count;
    }
    if (skip_.count(seed) == 0) return seed;
  }
  return std::nullopt;
}

}  // namespace dsim::explore
