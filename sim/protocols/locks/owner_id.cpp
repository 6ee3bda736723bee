#include "protocols/locks/owner_id.h"

#include <charconv>

namespace dsim::locks {

std::string OwnerId::str() const {
  // Grown once: every acquisition (and Redlock attempt) makes one.
  std::string s;
  s.reserve(client.size() + 24);
  s += client;
  s += '/';
  s += std::to_string(incarnation);
  s += '/';
  s += std::to_string(acquisition);
  if (attempt > 0) {
    s += '.';
    s += std::to_string(attempt);
  }
  return s;
}

namespace {
template <typename T>
bool parse_number(std::string_view text, T& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}
}  // namespace

std::optional<OwnerId> OwnerId::parse(std::string_view text) {
  size_t second = text.rfind('/');
  if (second == std::string_view::npos || second == 0) return std::nullopt;
  size_t first = text.rfind('/', second - 1);
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  OwnerId id;
  id.client = std::string(text.substr(0, first));
  std::string_view counts = text.substr(second + 1);
  size_t dot = counts.find('.');
  if (!parse_number(text.substr(first + 1, second - first - 1), id.incarnation)) return std::nullopt;
  if (!parse_number(counts.substr(0, dot), id.acquisition)) return std::nullopt;
  if (dot != std::string_view::npos && !parse_number(counts.substr(dot + 1), id.attempt)) {
    return std::nullopt;
  }
  return id;
}

}  // namespace dsim::locks
