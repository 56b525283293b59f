// Secrets are masked in frames vantage writes; the sentence stays decodable.
#include "capture/redact.hpp"

#include <gtest/gtest.h>

#include "capture/analyzer.hpp"
#include "frames.hpp"
#include "routeros/codec.hpp"

namespace vantage::capture {
namespace {

using namespace vantage::capture::testing;

std::string text(const std::vector<std::uint8_t>& v) {
  return std::string(v.begin(), v.end());
}

TEST(Redact, MasksPasswordKeepsFraming) {
  const std::string secret = "hunter2-very-secret";
  routeros::Sentence s{"/login", "=name=admin", "=password=" + secret};
  Tcp t;
  t.payload = s.encode();
  auto frame = ipv4(t);
  CredentialRedactor r;
  ASSERT_TRUE(r.needs_redaction(kDltRaw, frame));
  EXPECT_EQ(r.redact(kDltRaw, frame), secret.size());
  EXPECT_EQ(text(frame).find(secret), std::string::npos);
  EXPECT_NE(text(frame).find("=name=admin"), std::string::npos);
  // Still one valid sentence with the same word lengths.
  routeros::Decoder d;
  d.feed(std::span<const std::uint8_t>(frame).subspan(40));
  routeros::Sentence out;
  ASSERT_EQ(d.next(out), routeros::Decoder::State::kSentence);
  ASSERT_EQ(out.words.size(), 3u);
  EXPECT_EQ(out.words[2], "=password=" + std::string(secret.size(), '*'));
}

TEST(Redact, SecretSplitAcrossSegmentsIsMaskedInBoth) {
  const std::string secret(40, 'S');
  routeros::Sentence s{"/login", "=name=ops", "=response=" + secret};
  auto bytes = s.encode();
  const std::size_t cut = bytes.size() - 20;  // 20 bytes of the secret (+ terminator) later
  Tcp a;
  a.seq = 100;
  a.payload.assign(bytes.begin(), bytes.begin() + static_cast<long>(cut));
  Tcp b = a;
  b.seq = 100 + static_cast<std::uint32_t>(cut);
  b.payload.assign(bytes.begin() + static_cast<long>(cut), bytes.end());
  auto f1 = ipv4(a), f2 = ipv4(b);
  CredentialRedactor r;
  r.redact(kDltRaw, f1);
  ASSERT_TRUE(r.needs_redaction(kDltRaw, f2));
  r.redact(kDltRaw, f2);
  EXPECT_EQ(text(f1).find('S'), std::string::npos);
  EXPECT_EQ(text(f2).find('S'), std::string::npos);
  EXPECT_EQ(f2.back(), 0);  // the terminator is left alone
}

TEST(Redact, OrdinaryTrafficIsUntouched) {
  Tcp t;
  t.payload = bytes_of("GET /?password=x HTTP/1.1\r\n\r\n");
  auto frame = ipv4(t);
  CredentialRedactor r;
  EXPECT_FALSE(r.needs_redaction(kDltRaw, frame));
}

}  // namespace
}  // namespace vantage::capture
