#include "protocols/ring/placement/digests.h"

#include <murmurhash.h>
#include <nettle/md5.h>
#include <zlib.h>

#include <stdexcept>

namespace dsim::ring {

Md5Digest md5(std::string_view bytes) {
  md5_ctx ctx;
  nettle_md5_init(&ctx);
  nettle_md5_update(&ctx, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  Md5Digest out;
  nettle_md5_digest(&ctx, out.size(), out.data());
  return out;
}

std::array<uint64_t, 2> murmur3_x64_128(std::string_view bytes, uint32_t seed) {
  if (bytes.size() > UINT32_MAX) throw std::length_error("murmur3_x64_128: input longer than 4 GiB");
  uint64_t out[2];
  lmmh_x64_128(bytes.data(), static_cast<unsigned int>(bytes.size()), seed, out);
  return {out[0], out[1]};
}

uint32_t crc32_ieee(std::string_view bytes) {
  // zlib takes at most uInt bytes a call; keys are far shorter, but stay total anyway.
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  size_t left = bytes.size();
  while (left > 0) {
    const uInt chunk = left > (1u << 30) ? (1u << 30) : static_cast<uInt>(left);
    crc = crc32(crc, p, chunk);
    p += chunk;
    left -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace dsim::ring
