// The hashes of the real-system layouts, each from the Debian library that real clients
// link or that computes the same function: MD5 (Nettle; libketama and the memcached
// clients built on it), MurmurHash3 x64_128 (libmurmurhash; Cassandra's
// Murmur3Partitioner), CRC-32/IEEE (zlib; Go's crc32.ChecksumIEEE in groupcache).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace dsim::ring {

using Md5Digest = std::array<uint8_t, 16>;

// RFC 1321.
Md5Digest md5(std::string_view bytes);

// Austin Appleby's MurmurHash3_x64_128 (SMHasher's reference), as the two 64-bit halves
// {h1, h2} in the order the reference writes them, each read little-endian.
std::array<uint64_t, 2> murmur3_x64_128(std::string_view bytes, uint32_t seed = 0);

// CRC-32 with the IEEE 802.3 polynomial (zlib's crc32, Go's crc32.ChecksumIEEE).
uint32_t crc32_ieee(std::string_view bytes);

}  // namespace dsim::ring
