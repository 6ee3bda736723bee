// The hashes are fixed algorithms: these vectors pin them (xxh64 against the reference
// library's output, SHA-256 against FIPS 180-4 / Python's hashlib, padding edges included).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "protocols/ring/placement/key_hash.h"
#include "protocols/ring/placement/sha256.h"

namespace dsim::ring {
namespace {

std::string hex(const Sha256Digest& d) {
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

}  // namespace
}  // namespace dsim::ring
