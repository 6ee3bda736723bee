// XXH64 from Debian's libxxhash (the reference implementation, xxhash 0.8): one function
// of the library, called through here so that the placement code names one hash.
#include "protocols/ring/placement/key_hash.h"

#include <xxhash.h>

namespace dsim::ring {

uint64_t xxh64(std::string_view bytes, uint64_t seed) { return XXH64(bytes.data(), bytes.size(), seed); }

}  // namespace dsim::ring
