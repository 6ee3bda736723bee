// Byte sizes as a scenario writes them: "4GiB", "512MiB", "64KiB", "2GB", "1500B", or an
// integer number of bytes. Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal
// ones (kB, MB, GB, TB) powers of 1000; a fraction is allowed ("1.5GiB") and rounded down
// to whole bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dsim {

// nullopt when `text` is not a byte size or is above 2^63 - 1 bytes.
std::optional<uint64_t> parse_byte_size(std::string_view text);

// "5.8 GiB", "12.0 MiB", "950 B": three significant figures, binary units.
std::string format_byte_size(double bytes);

}  // namespace dsim
