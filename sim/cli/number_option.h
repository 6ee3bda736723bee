// One checked parser for every numeric command-line option.
//
// Boost's own number options read "-1" as 18446744073709551615 and accept "1e3" or " 7";
// every numeric option of every dsim command is therefore declared as a string and read
// here: a whole decimal number, no sign, no spaces, no suffix, within the option's
// documented range. Anything else throws UsageError, which `main` turns into exit code 2.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

namespace dsim::cli {

// A command-line mistake found after option parsing: printed as "dsim: WHAT", exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The largest seed a scenario file accepts (its "seed" is a JSON integer up to 2^63 - 1):
// --seed, --seeds and ring-stats' --seed refuse anything above it.
inline constexpr uint64_t kMaxSeed = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// Reads `text` as a whole non-negative decimal integer in [min, max]. `option` names the
// option in the error ("--jobs"). Throws UsageError.
uint64_t parse_unsigned_option(std::string_view option, std::string_view text, uint64_t min,
                               uint64_t max);

// Reads `text` as a finite decimal number in [min, max] (no "nan", "inf" or hex). Throws
// UsageError.
double parse_real_option(std::string_view option, std::string_view text, double min, double max);

// The comma-separated list form of the two above ("100,1000"); at least one item.
std::vector<uint64_t> parse_unsigned_list_option(std::string_view option, std::string_view text,
                                                 uint64_t min, uint64_t max);
std::vector<double> parse_real_list_option(std::string_view option, std::string_view text,
                                           double min, double max);

// The option `name` from a parsed command line, when it was given (or has a default).
std::optional<uint64_t> unsigned_option(const boost::program_options::variables_map& vm,
                                        const std::string& name, uint64_t min, uint64_t max);

}  // namespace dsim::cli
