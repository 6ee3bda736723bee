// SHA-256 (FIPS 180-4), only for the `seed` placement, which reproduces a design that
// hashes with hashlib.sha256: Nettle's (nettle-dev), a few hundred ns per key.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace dsim::ring {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest sha256(std::string_view bytes);

// The digest's low 64 bits when read as one big-endian integer, as Python's
// int.from_bytes(digest, "big") would: its last 8 bytes.
uint64_t sha256_low64(const Sha256Digest& d);

}  // namespace dsim::ring
