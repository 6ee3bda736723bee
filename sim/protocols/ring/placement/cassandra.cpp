// `cassandra`: Apache Cassandra's token ring with the Murmur3Partitioner and
// SimpleStrategy (cassandra/src/java/org/apache/cassandra/dht/Murmur3Partitioner.java,
// locator/SimpleStrategy.java). A key's token is the first 64 bits (h1) of
// MurmurHash3_x64_128(key, seed 0) read as a signed long, with Long.MIN_VALUE mapped to
// Long.MAX_VALUE and the empty key at the minimum token. Each node holds `vnodes`
// (Cassandra's num_tokens) random tokens, as Cassandra's random allocation draws them:
// here from the project's generator, stream "cassandra-tokens/NAME" under `token_seed`,
// so a layout is a function of the member set and the seed. A node owns the range
// (previous token, its token]; the R replicas are the first R distinct nodes walking the
// ring clockwise from the key's token (SimpleStrategy).
//
// MurmurHash3 is libmurmurhash's, the reference function. Cassandra's own copy reads the
// last (length mod 16) bytes as signed Java bytes, so tokens agree exactly for keys whose
// trailing bytes are all below 0x80 (every ASCII key) and differ otherwise; the tests pin
// both facts against the DataStax drivers' published tokens.
#include <string>

#include "core/rng.h"
#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/digests.h"
#include "protocols/ring/placement/point_ring_layout.h"

namespace dsim::ring {
namespace {

constexpr uint64_t kSignFlip = uint64_t{1} << 63;  // signed order as unsigned order

class Cassandra final : public PointRingLayout {
 public:
  Cassandra(uint32_t num_tokens, uint64_t token_seed) : num_tokens_(num_tokens), token_seed_(token_seed) {}

  std::string_view algorithm() const override { return "cassandra"; }
  uint64_t hash_key(std::string_view key) const override {
    return static_cast<uint64_t>(cassandra_token(key)) ^ kSignFlip;
  }

 private:
  std::vector<std::pair<uint64_t, NodeTag>> place_points() const override {
    std::vector<std::pair<uint64_t, NodeTag>> points;
    for (const Member& m : members_.all()) {
      Rng draws = Rng::stream(token_seed_, "cassandra-tokens/" + m.name);
      for (uint32_t i = 0; i < num_tokens_; ++i) points.emplace_back(draws.next_u64(), m.tag);
    }
    return points;
  }

  uint32_t num_tokens_;
  uint64_t token_seed_;
};

}  // namespace

int64_t cassandra_token(std::string_view key) {
  if (key.empty()) return INT64_MIN;
  const auto token = static_cast<int64_t>(murmur3_x64_128(key, 0)[0]);
  return token == INT64_MIN ? INT64_MAX : token;
}

std::unique_ptr<Placement> make_cassandra(uint32_t num_tokens, uint64_t token_seed) {
  return std::make_unique<Cassandra>(num_tokens, token_seed);
}

}  // namespace dsim::ring
