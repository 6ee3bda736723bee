#include "core/json_write.h"

#include <array>
#include <cstddef>
#include <cstring>

namespace dsim {
namespace {

// What a byte needs: copied as is, escaped, or (0x80 and up) checked as UTF-8.
enum ByteClass : uint8_t { kPlain, kEscape, kMultiByte };

constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kEscape;
  t['"'] = kEscape;
  t['\\'] = kEscape;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kMultiByte;
  return t;
}();

// The length of the well-formed UTF-8 sequence at s[i] (whose byte is 0x80 or more), or
// 0 when it is not one: the byte ranges of the Unicode standard's table 3-7, which is
// what nlohmann's decoder accepts (no overlong forms, no surrogates, nothing past
// U+10FFFF).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0x100u;
  };
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    const unsigned c = byte(k);
    return c >= lo && c <= hi;
  };
  const unsigned lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
  if (lead == 0xE0) return in(1, 0xA0, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    return in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead == 0xED) return in(1, 0x80, 0x9F) && in(2, 0x80, 0xBF) ? 3 : 0;
  if (lead == 0xF0) return in(1, 0x90, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3) {
    return in(1, 0x80, 0xBF) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  }
  if (lead == 0xF4) return in(1, 0x80, 0x8F) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  return 0;
}

void append_escape(TextBuffer& out, unsigned char c) {
  switch (c) {
    case '"': out.append("\\\"", 2); return;
    case '\\': out.append("\\\\", 2); return;
    case '\b': out.append("\\b", 2); return;
    case '\f': out.append("\\f", 2); return;
    case '\n': out.append("\\n", 2); return;
    case '\r': out.append("\\r", 2); return;
    case '\t': out.append("\\t", 2); return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(esc, sizeof esc);
    }
  }
}

// The number of leading bytes of p[0, n) that need no care.
size_t plain_bytes(const char* p, size_t n) {
  size_t i = 0;
  while (i < n && kByteClass[static_cast<unsigned char>(p[i])] == kPlain) ++i;
  return i;
}

// nlohmann's serializer, as Json::dump() uses it, writing into `out`.
void append_by_nlohmann(TextBuffer& out, const Json& value) {
  using Serializer = nlohmann::detail::serializer<Json>;
  std::string text;
  Serializer s(nlohmann::detail::output_adapter<char, std::string>(text), ' ',
               nlohmann::detail::error_handler_t::strict);
  s.dump(value, false, false, 0);
  out.append(text);
}

constexpr uint64_t kHigh = 0x8080808080808080ULL;

// Within kHigh, set when any of the 8 bytes of w needs care in a JSON string. With the bit
// tricks of "Bit Twiddling Hacks" (S. E. Anderson): a byte below 0x20 ((w - 0x20..) & ~w
// & 0x80..), a byte equal to '"' or '\\' (a zero byte of w ^ that byte), or a byte of 0x80
// and up (w & 0x80..). Each test says exactly whether any byte of the word is one (the bits
// of single bytes may be wrong above a byte that is one: only the word's answer is used).
uint64_t care_bits(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  return (control | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | w) & kHigh;
}
bool word_needs_care(uint64_t w) { return care_bits(w) != 0; }

uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
uint32_t load4(const char* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}
void store8(char* p, uint64_t w) { std::memcpy(p, &w, 8); }
void store4(char* p, uint32_t w) { std::memcpy(p, &w, 4); }

// Five bytes that need no care: what fills a word built from 1-3 bytes of a string.
constexpr uint64_t kFivePlainBytes = 0x6161616161000000ULL;

// The 1 to 7 bytes at p as one word to test: two loads that overlap (4-7 bytes), or the
// first, middle and last byte (some of them the same) with five plain ones (1-3).
uint64_t short_word(const char* p, size_t n) {
  if (n >= 4) return load4(p) | (uint64_t{load4(p + n - 4)} << 32);
  const auto byte = [p](size_t k) { return uint64_t{static_cast<unsigned char>(p[k])}; };
  return kFivePlainBytes | byte(0) | (byte(n / 2) << 8) | (byte(n - 1) << 16);
}

// True when any of the n < 8 bytes at p needs care.
bool short_needs_care(const char* p, size_t n) { return n != 0 && word_needs_care(short_word(p, n)); }

// Strings up to this long are copied while they are tested (copy_if_plain); longer ones
// are tested first and copied by memcpy, which is faster for long runs.
constexpr size_t kCopyWhileTestingBytes = 64;

// Copies src[0, n) to dst[0, n) and says whether every byte is plain (a JSON string holds
// it as it is). As plain_ascii_prefix tests, a word at a time and the last 1-7 bytes as one
// word of loads that overlap, so no byte loop runs; the copy reuses the words loaded for
// the test, so a short string costs no memcpy call. When it says false, dst holds the copy
// anyway (the caller writes over it).
bool copy_if_plain(char* dst, const char* src, size_t n) {
  if (n < 8) {
    if (n == 0) return true;
    if (n >= 4) {  // two copies that overlap
      store4(dst, load4(src));
      store4(dst + n - 4, load4(src + n - 4));
    } else {  // the first, the middle and the last byte: all of them
      dst[0] = src[0];
      dst[n / 2] = src[n / 2];
      dst[n - 1] = src[n - 1];
    }
    return !word_needs_care(short_word(src, n));
  }
  uint64_t care = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const uint64_t w = load8(src + i);
    store8(dst + i, w);
    care |= care_bits(w);
  }
  if (i < n) {  // the last 1-7 bytes: the word that ends the string
    const uint64_t w = load8(src + n - 8);
    store8(dst + n - 8, w);
    care |= care_bits(w);
  }
  return care == 0;
}

// A string with bytes that need care, from its first such byte on (`plain` bytes before
// it): escapes, UTF-8 checked; invalid UTF-8 is left to nlohmann, which throws.
void append_string_with_care(TextBuffer& out, std::string_view s, size_t plain) {
  const size_t start = out.size();
  out.push_back('"');
  const char* data = s.data();
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = plain;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(data[i]);
    const uint8_t cls = kByteClass[c];
    if (cls == kPlain) {
      ++i;
      continue;
    }
    if (cls == kMultiByte) {
      const size_t n = utf8_sequence_length(s, i);
      if (n == 0) {
        // Not UTF-8: dump() throws here (type_error 316); should it ever accept what we
        // refuse, its text is the right text.
        out.truncate(start);
        append_by_nlohmann(out, Json(std::string(s)));
        return;
      }
      i += n;
      continue;
    }
    out.append(data + run, i - run);
    append_escape(out, c);
    run = ++i;
  }
  out.append(data + run, s.size() - run);
  out.push_back('"');
}

}  // namespace

size_t plain_ascii_prefix(std::string_view s) {
  // A trace's keys and most of its strings are short and plain through and through: they
  // are tested a word at a time, and the bytes after the last whole word (1 to 7 of them)
  // as one word too, made of loads that overlap, so that a string's length decides no loop's
  // end (a byte loop's exit was most of the cost of writing a key). The first word that
  // holds a byte needing care is searched byte by byte.
  const char* p = s.data();
  const size_t n = s.size();
  if (n < 8) return short_needs_care(p, n) ? plain_bytes(p, n) : n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    if (word_needs_care(load8(p + i))) return i + plain_bytes(p + i, 8);
  }
  // The last 1-7 bytes, as the word that ends the string (its first bytes were tested).
  if (i < n && word_needs_care(load8(p + n - 8))) return i + plain_bytes(p + i, n - i);
  return n;
}

void append_json_string(TextBuffer& out, std::string_view s) {
  const size_t n = s.size();
  if (n <= kCopyWhileTestingBytes) {
    // The common case: short and plain, copied between its quotes as it is tested.
    char* p = out.room(n + 2);
    *p = '"';
    if (copy_if_plain(p + 1, s.data(), n)) {
      p[n + 1] = '"';
      out.end_at(p + n + 2);
      return;
    }
    append_string_with_care(out, s, plain_ascii_prefix(s));  // writes over the copy
    return;
  }
  const size_t plain = plain_ascii_prefix(s);
  if (plain != n) {
    append_string_with_care(out, s, plain);
    return;
  }
  char* p = out.room(n + 2);
  *p = '"';
  std::memcpy(p + 1, s.data(), n);
  p[n + 1] = '"';
  out.end_at(p + n + 2);
}

void append_json_key(TextBuffer& out, std::string_view key, bool comma) {
  const size_t n = key.size();
  if (n <= kCopyWhileTestingBytes) {
    // `,"key":` or `"key":`, copied as it is tested.
    char* p = out.room(n + 4);
    *p = ',';
    p += comma ? 1 : 0;
    *p = '"';
    if (copy_if_plain(p + 1, key.data(), n)) {
      p[n + 1] = '"';
      p[n + 2] = ':';
      out.end_at(p + n + 3);
      return;
    }
  }
  if (comma) out.push_back(',');
  append_json_string(out, key);
  out.push_back(':');
}

void append_json(TextBuffer& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      const auto& object = value.get_ref<const Json::object_t&>();
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : object) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, key);
        out.push_back(':');
        append_json(out, member);
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      const auto& array = value.get_ref<const Json::array_t&>();
      out.push_back('[');
      bool first = true;
      for (const Json& element : array) {
        if (!first) out.push_back(',');
        first = false;
        append_json(out, element);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string:
      append_json_string(out, value.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out += value.get<bool>() ? std::string_view("true") : std::string_view("false");
      return;
    case Json::value_t::number_integer:
      append_json_int(out, value.get<int64_t>());
      return;
    case Json::value_t::number_unsigned:
      append_json_uint(out, value.get<uint64_t>());
      return;
    case Json::value_t::null:
      out += std::string_view("null");
      return;
    default:  // number_float, binary, discarded
      append_by_nlohmann(out, value);
      return;
  }
}

}  // namespace dsim
