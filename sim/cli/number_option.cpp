#include "cli/number_option.h"

#include <charconv>
#include <cmath>
#include <sstream>

namespace dsim::cli {
namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string range_text(uint64_t min, uint64_t max) {
  return std::to_string(min) + " to " + std::to_string(max);
}

std::string real_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::vector<std::string_view> split_commas(std::string_view option, std::string_view text) {
  std::vector<std::string_view> items;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    items.push_back(text.substr(pos, comma - pos));
    pos = comma + 1;
  }
  for (std::string_view item : items) {
    if (item.empty()) {
      throw UsageError(std::string(option) + ": expected a comma-separated list of numbers, got " +
                       quoted(text));
    }
  }
  return items;
}

}  // namespace

uint64_t parse_unsigned_option(std::string_view option, std::string_view text, uint64_t min,
                               uint64_t max) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  // from_chars takes no sign, space or prefix; it does take leading zeros, which are harmless.
  if (text.empty() || ptr != end || ec == std::errc::invalid_argument) {
    throw UsageError(std::string(option) + ": expected a whole number from " +
                     range_text(min, max) + ", got " + quoted(text));
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    throw UsageError(std::string(option) + ": " + quoted(text) + " is out of range (" +
                     range_text(min, max) + ")");
  }
  return value;
}

double parse_real_option(std::string_view option, std::string_view text, double min, double max) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::fixed |
                                                                std::chars_format::scientific);
  if (text.empty() || ptr != end || ec == std::errc::invalid_argument || !std::isfinite(value)) {
    throw UsageError(std::string(option) + ": expected a number from " + real_text(min) + " to " +
                     real_text(max) + ", got " + quoted(text));
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    throw UsageError(std::string(option) + ": " + quoted(text) + " is out of range (" +
                     real_text(min) + " to " + real_text(max) + ")");
  }
  return value;
}

namespace {
// Each comma-separated item of `text`, read by `parse_one`.
template <typename T, typename ParseOne>
std::vector<T> parse_list(std::string_view option, std::string_view text, ParseOne parse_one) {
  std::vector<T> out;
  for (std::string_view item : split_commas(option, text)) out.push_back(parse_one(item));
  return out;
}
}  // namespace

std::vector<uint64_t> parse_unsigned_list_option(std::string_view option, std::string_view text,
                                                 uint64_t min, uint64_t max) {
  return parse_list<uint64_t>(option, text, [&](std::string_view item) {
    return parse_unsigned_option(option, item, min, max);
  });
}

std::vector<double> parse_real_list_option(std::string_view option, std::string_view text,
                                           double min, double max) {
  return parse_list<double>(option, text, [&](std::string_view item) {
    return parse_real_option(option, item, min, max);
  });
}

std::optional<uint64_t> unsigned_option(const boost::program_options::variables_map& vm,
                                        const std::string& name, uint64_t min, uint64_t max) {
  if (vm.count(name) == 0) return std::nullopt;
  return parse_unsigned_option("--" + name, vm[name].as<std::string>(), min, max);
}

}  // namespace dsim::cli
