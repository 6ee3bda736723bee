// `ketama`: libketama's continuum (Richard Jones, last.fm, 2007; github.com/RJ/ketama,
// libketama/ketama.c), which the memcached clients built on it share. A server named
// "host:port" with memory (weight) m out of a total M gets floor(m/M * 40 * servers) MD5
// digests, of "host:port-0", "host:port-1", ..., each read as four little-endian 32-bit
// points: 160 points per server at equal weights. A key sits at the first four bytes of
// its MD5, little-endian; its server owns the first point at or after it, wrapping.
//
// The point count is computed as libketama computes it, in single precision (float pct =
// m / M, then floorf of pct * 40.0 * servers), so weights give the same counts. Equal
// points (32-bit collisions) order by tag, as libketama's sort keeps them in server-file
// order when tags follow the file. Verified in tests/ring/layouts_test.cpp against
// libketama's own test (the MD5 of its ketama_test output over ketama.servers).
#include <cmath>
#include <string>

#include "protocols/ring/placement/algorithms.h"
#include "protocols/ring/placement/digests.h"
#include "protocols/ring/placement/point_ring_layout.h"

namespace dsim::ring {
namespace {

uint32_t little_endian_u32(const Md5Digest& d, size_t at) {
  return static_cast<uint32_t>(d[at]) | static_cast<uint32_t>(d[at + 1]) << 8 |
         static_cast<uint32_t>(d[at + 2]) << 16 | static_cast<uint32_t>(d[at + 3]) << 24;
}

class Ketama final : public PointRingLayout {
 public:
  std::string_view algorithm() const override { return "ketama"; }
  bool supports_weights() const override { return true; }
  uint64_t hash_key(std::string_view key) const override { return position_of_u32(ketama_hash(key)); }

 private:
  std::vector<std::pair<uint64_t, NodeTag>> place_points() const override {
    std::vector<std::pair<uint64_t, NodeTag>> points;
    const auto& all = members_.all();
    const float total = static_cast<float>(members_.total_weight());
    for (const Member& m : all) {
      const float pct = static_cast<float>(m.weight) / total;
      const auto digests = static_cast<unsigned>(
          std::floor(static_cast<float>(static_cast<double>(pct) * 40.0 * static_cast<double>(static_cast<float>(all.size())))));
      for (unsigned k = 0; k < digests; ++k) {
        const Md5Digest d = md5(m.name + "-" + std::to_string(k));
        for (size_t h = 0; h < 4; ++h) points.emplace_back(position_of_u32(little_endian_u32(d, 4 * h)), m.tag);
      }
    }
    return points;
  }
};

}  // namespace

uint32_t ketama_hash(std::string_view key) { return little_endian_u32(md5(key), 0); }

std::unique_ptr<Placement> make_ketama() { return std::make_unique<Ketama>(); }

}  // namespace dsim::ring
