#include "routeros/word.hpp"

#include <gtest/gtest.h>

#include "routeros/legacy_login.hpp"

namespace vantage::routeros {
namespace {

struct LengthVector {
  std::uint32_t len;
  std::vector<std::uint8_t> bytes;
};

// Lengths at and around every prefix-size boundary (routeros/word.hpp).
const LengthVector kVectors[] = {
    {0x00, {0x00}},
    {0x7F, {0x7f}},
    {0x80, {0x80, 0x80}},
    {0x87, {0x80, 0x87}},
    {130, {0x80, 0x82}},
    {300, {0x81, 0x2c}},
    {0x3FFF, {0xbf, 0xff}},
    {0x4000, {0xc0, 0x40, 0x00}},
    {0x4321, {0xc0, 0x43, 0x21}},
    {17000, {0xc0, 0x42, 0x68}},
    {0x1FFFFF, {0xdf, 0xff, 0xff}},
    {2097140, {0xdf, 0xff, 0xf4}},
    {0x200000, {0xe0, 0x20, 0x00, 0x00}},
    {0x2ACDEF, {0xe0, 0x2a, 0xcd, 0xef}},
    {0xFFFFFFF, {0xef, 0xff, 0xff, 0xff}},
    {268435440, {0xef, 0xff, 0xff, 0xf0}},
    {0x10000000, {0xf0, 0x10, 0x00, 0x00, 0x00}},
    {0x10000080, {0xf0, 0x10, 0x00, 0x00, 0x80}},
    {0xFFFFFFFF, {0xf0, 0xff, 0xff, 0xff, 0xff}},
};

class LengthVectors : public ::testing::TestWithParam<LengthVector> {};

TEST_P(LengthVectors, Encodes) {
  EXPECT_EQ(encode_length(GetParam().len), GetParam().bytes);
}

TEST_P(LengthVectors, Decodes) {
  const auto& v = GetParam();
  auto d = decode_length(v.bytes);
  ASSERT_EQ(d.status, DecodedLength::Status::kOk);
  EXPECT_EQ(d.length, v.len);
  EXPECT_EQ(d.prefix_bytes, v.bytes.size());
}

TEST_P(LengthVectors, TruncatedPrefixNeedsMore) {
  const auto& v = GetParam();
  for (std::size_t n = 0; n < v.bytes.size(); ++n) {
    auto d = decode_length(std::span<const std::uint8_t>(v.bytes.data(), n));
    EXPECT_EQ(d.status, DecodedLength::Status::kNeedMore) << "prefix of " << n;
  }
}

INSTANTIATE_TEST_SUITE_P(Facts, LengthVectors, ::testing::ValuesIn(kVectors));

TEST(Word, ReservedControlBytesRejected) {
  for (int b = 0xF8; b <= 0xFF; ++b) {
    std::uint8_t bytes[5] = {static_cast<std::uint8_t>(b), 0, 0, 0, 1};
    EXPECT_EQ(decode_length(bytes).status, DecodedLength::Status::kReserved) << b;
  }
}

TEST(Word, AmbiguousFiveByteFormsRejected) {
  for (int b = 0xF1; b <= 0xF7; ++b) {
    std::uint8_t bytes[5] = {static_cast<std::uint8_t>(b), 0, 0, 0, 1};
    EXPECT_EQ(decode_length(bytes).status, DecodedLength::Status::kInvalid) << b;
  }
}

TEST(Word, AppendWord) {
  std::vector<std::uint8_t> out;
  append_word(out, "/login");
  std::vector<std::uint8_t> want = {0x06, '/', 'l', 'o', 'g', 'i', 'n'};
  EXPECT_EQ(out, want);
  std::string big(0x80, 'x');
  out.clear();
  append_word(out, big);
  ASSERT_EQ(out.size(), 0x82u);
  EXPECT_EQ(out[0], 0x80);
  EXPECT_EQ(out[1], 0x80);
}

TEST(LegacyLogin, FactsVectors) {
  EXPECT_EQ(legacy_login_response("", "856780b7411eefd3abadee2058c149a3"),
            "005062f7a5ef124d34675bf3e81f56c556");
  EXPECT_EQ(legacy_login_response("passTest", "abc123"), "0021277bff9ac7caf06aa608e46616d47f");
  EXPECT_EQ(legacy_login_response("x", "abc"), std::nullopt);
  EXPECT_EQ(legacy_login_response("x", "zz"), std::nullopt);
}

}  // namespace
}  // namespace vantage::routeros
