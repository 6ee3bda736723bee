// The hashes are fixed algorithms: these vectors pin them. XXH64, SHA-256, MD5, MurmurHash3
// and CRC-32 come from Debian's libraries (libxxhash, Nettle, libmurmurhash, zlib); the
// vectors are their specifications' (FIPS 180-4, RFC 1321, SMHasher's verification value,
// the CRC catalogue's check value) or the reference library's output, so a library that
// computed something else would fail here. key_hash is the project's own (for speed on
// short keys): pinned against its own first outputs, one per length class, equal to the
// library's XXH64 beyond 32 bytes, and its quality tested: uniform bins and avalanche.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "protocols/ring/placement/digests.h"
#include "protocols/ring/placement/key_hash.h"
#include "protocols/ring/placement/sha256.h"

namespace dsim::ring {
namespace {

template <size_t N>
std::string hex(const std::array<uint8_t, N>& d) {
  std::string out;
  char buf[3];
  for (uint8_t b : d) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

TEST(Xxh64, MatchesReferenceVectors) {
  EXPECT_EQ(xxh64("", 0), 0xef46db3751d8e999ULL);
  EXPECT_EQ(xxh64("a", 0), 0xd24ec4f1a98c6e5bULL);
  EXPECT_EQ(xxh64("abc", 0), 0x44bc2cf5ad770999ULL);
  EXPECT_EQ(xxh64("node-0", 0), 0x157882055c802771ULL);
  // Longer than one 32-byte stripe, with a seed.
  EXPECT_EQ(xxh64("0123456789abcdef0123456789abcdefXYZ", 7), 0x3f5b235a482b9e16ULL);
  EXPECT_EQ(xxh64("hello world, this is a longer test!!", 123456789), 0x8eaa941a9bd9f579ULL);
}

TEST(KeyHash, PinnedVectors) {
  EXPECT_EQ(key_hash(""), 0xd4148ae72550a80fULL);
  EXPECT_EQ(key_hash("a"), 0x6ad23f88102a32eeULL);
  EXPECT_EQ(key_hash("abcde"), 0x4b0e3567d5958266ULL);
  EXPECT_EQ(key_hash("key-12345"), 0x768d7e1dc612104eULL);
  EXPECT_EQ(key_hash("key-00000000000000ff"), 0x8152cf8287c266eeULL);
  EXPECT_EQ(key_hash("0123456789abcdef0123456789abcdef"), 0x5eb22824cb33887aULL);
  // Beyond 32 bytes it is XXH64 with seed 0.
  const std::string long_key = "0123456789abcdef0123456789abcdefXYZ";
  EXPECT_EQ(key_hash(long_key), xxh64(long_key, 0));
  for (size_t len = 33; len < 300; len += 17) {
    const std::string k(len, static_cast<char>('a' + len % 26));
    EXPECT_EQ(key_hash(k), xxh64(k, 0)) << len;
  }
}

TEST(KeyHash, LengthAndEveryByteMatter) {
  // Keys that pad or overlap to the same words must still differ.
  EXPECT_NE(key_hash(std::string(1, '\0')), key_hash(std::string(2, '\0')));
  EXPECT_NE(key_hash(std::string(8, '\0')), key_hash(std::string(9, '\0')));
  EXPECT_NE(key_hash(std::string(16, 'x')), key_hash(std::string(17, 'x')));
  for (size_t len = 1; len <= 32; ++len) {
    std::string k(len, 'k');
    const uint64_t h = key_hash(k);
    for (size_t i = 0; i < len; ++i) {
      std::string other = k;
      other[i] = 'j';
      EXPECT_NE(key_hash(other), h) << "length " << len << ", byte " << i;
    }
  }
}

// Sequential keys (the worst case for a weak hash) fill 1024 bins evenly: the chi-square
// statistic over 1023 degrees of freedom stays within 5 standard deviations of its mean.
TEST(KeyHash, SequentialKeysFillBinsUniformly) {
  for (const char* fmt : {"k%llu", "key-%016llx", "user:%llu:profile"}) {
    constexpr size_t kBins = 1024, kKeys = 1 << 20;
    std::vector<double> bins(kBins, 0);
    char buf[48];
    for (unsigned long long i = 0; i < kKeys; ++i) {
      std::snprintf(buf, sizeof buf, fmt, i);
      ++bins[key_hash(buf) >> 54];
    }
    const double expected = static_cast<double>(kKeys) / kBins;
    double chi2 = 0;
    for (double b : bins) chi2 += (b - expected) * (b - expected) / expected;
    EXPECT_LT(std::abs(chi2 - (kBins - 1)), 5 * std::sqrt(2.0 * (kBins - 1))) << fmt << ": chi2 " << chi2;
  }
}

// Flipping one input bit flips each output bit with probability about 1/2.
TEST(KeyHash, Avalanche) {
  for (size_t len : {3, 7, 12, 20, 32}) {
    std::vector<double> flips(64, 0);
    double trials = 0;
    for (uint64_t seed = 0; seed < 200; ++seed) {
      std::string k(len, '\0');
      for (size_t i = 0; i < len; ++i) k[i] = static_cast<char>(mix64(seed * 131 + i) & 0xff);
      const uint64_t h = key_hash(k);
      for (size_t bit = 0; bit < len * 8; ++bit) {
        std::string f = k;
        f[bit / 8] = static_cast<char>(f[bit / 8] ^ (1 << (bit % 8)));
        const uint64_t d = h ^ key_hash(f);
        for (int o = 0; o < 64; ++o) flips[o] += static_cast<double>((d >> o) & 1);
        ++trials;
      }
    }
    for (int o = 0; o < 64; ++o) {
      EXPECT_NEAR(flips[o] / trials, 0.5, 0.05) << "length " << len << ", output bit " << o;
    }
  }
}

TEST(Sha256, MatchesStandardVectors) {
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("The quick brown fox jumps over the lazy dog")),
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
  // 55, 56 and 64 bytes: the length word fits, just misses, and a full block.
  EXPECT_EQ(hex(sha256(std::string(55, 'a'))), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(hex(sha256(std::string(56, 'a'))), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(hex(sha256(std::string(64, 'a'))), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  EXPECT_EQ(hex(sha256(std::string(1000, 'a'))), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(Sha256, Low64IsTheBigEndianTail) {
  Sha256Digest d = sha256("abc");  // ...f20015ad
  EXPECT_EQ(sha256_low64(d), 0xb410ff61f20015adULL);
}

TEST(Md5, MatchesRfc1321) {  // the test suite of RFC 1321, appendix A.5
  EXPECT_EQ(hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex(md5("a")), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(hex(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex(md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(hex(md5("12345678901234567890123456789012345678901234567890123456789012345678901234567890")),
            "57edf4a22be3c955ac49da2e2107b67a");
}

// SMHasher's VerificationTest: hash the keys {0}, {0,1}, ..., {0..254} (and the empty key)
// with seed 256 - length, then hash the concatenated results with seed 0; the first four
// bytes, little-endian, are MurmurHash3_x64_128's published verification value.
TEST(Murmur3, MatchesSmhashersVerificationValue) {
  std::string key(256, '\0'), results;
  for (int i = 0; i < 256; ++i) {
    key[i] = static_cast<char>(i);
    const auto h = murmur3_x64_128(std::string_view(key.data(), i), static_cast<uint32_t>(256 - i));
    for (uint64_t word : h) {
      for (int b = 0; b < 8; ++b) results.push_back(static_cast<char>(word >> (8 * b)));
    }
  }
  const auto final_hash = murmur3_x64_128(results, 0);
  EXPECT_EQ(static_cast<uint32_t>(final_hash[0]), 0x6384BA69u);
  EXPECT_EQ(murmur3_x64_128("", 0), (std::array<uint64_t, 2>{0, 0}));
}

TEST(Crc32, MatchesTheCheckValue) {
  EXPECT_EQ(crc32_ieee("123456789"), 0xCBF43926u);  // CRC-32/ISO-HDLC's check value
  EXPECT_EQ(crc32_ieee(""), 0u);
  EXPECT_EQ(crc32_ieee("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
}

}  // namespace
}  // namespace dsim::ring
