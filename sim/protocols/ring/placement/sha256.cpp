// SHA-256 from Nettle (Debian's nettle-dev), the GNU crypto library GnuTLS builds on.
#include "protocols/ring/placement/sha256.h"

#include <nettle/sha2.h>

namespace dsim::ring {

Sha256Digest sha256(std::string_view bytes) {
  sha256_ctx ctx;
  nettle_sha256_init(&ctx);
  nettle_sha256_update(&ctx, bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
  Sha256Digest out;
  nettle_sha256_digest(&ctx, out.size(), out.data());
  return out;
}

uint64_t sha256_low64(const Sha256Digest& d) {
  uint64_t v = 0;
  for (int i = 24; i < 32; ++i) v = (v << 8) | d[i];
  return v;
}

}  // namespace dsim::ring
