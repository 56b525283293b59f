#include "routeros/decoder.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "routeros/word.hpp"

namespace vantage::routeros {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes concat(const std::vector<Sentence>& ss) {
  Bytes out;
  for (const auto& s : ss) {
    auto e = s.encode();
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

// Feeds `chunks` in order and collects every sentence; fails on error.
std::vector<Sentence> decode_chunks(const std::vector<Bytes>& chunks, Limits limits = {}) {
  Decoder d(limits);
  d.set_logged_in(true);
  std::vector<Sentence> got;
  for (const auto& c : chunks) {
    d.feed(c);
    Sentence s;
    for (;;) {
      auto st = d.next(s);
      if (st == Decoder::State::kSentence) {
        got.push_back(s);
        continue;
      }
      EXPECT_EQ(st, Decoder::State::kNeedMore) << d.error();
      break;
    }
  }
  EXPECT_TRUE(d.at_boundary());
  return got;
}

std::vector<Sentence> sample_sentences() {
  return {
      Sentence{"/login", "=name=admin", "=password=secret"},
      Sentence{"!re", "=name=" + std::string(200, 'n'), "=comment=a=b", "=x=", ".tag=42"},
      Sentence{"/ip/service/print", "?name=api", "?#|", ".tag=x"},
      Sentence{"!done", "=ret=" + std::string(0x4100, 'r')},  // 3-byte prefix
      Sentence{"!fatal", "not logged in"},
  };
}

TEST(Decoder, EverySplitPointDecodesTheSame) {
  const auto want = sample_sentences();
  const Bytes all = concat(want);
  Limits limits;
  limits.max_word = 0;
  for (std::size_t cut = 0; cut <= all.size(); ++cut) {
    Bytes a(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(cut));
    Bytes b(all.begin() + static_cast<std::ptrdiff_t>(cut), all.end());
    auto got = decode_chunks({a, b}, limits);
    ASSERT_EQ(got.size(), want.size()) << "cut at " << cut;
    for (std::size_t i = 0; i < want.size(); ++i)
      ASSERT_EQ(got[i].words, want[i].words) << "cut at " << cut << " sentence " << i;
  }
}

TEST(Decoder, EveryPairOfSplitPointsInSmallSentences) {
  const std::vector<Sentence> want = {
      Sentence{"/login", "=name=admin", "=password=secret"},
      Sentence{"!trap", "=message=invalid user name or password (6)"}, Sentence{"!done"}};
  const Bytes all = concat(want);
  for (std::size_t i = 0; i <= all.size(); ++i) {
    for (std::size_t j = i; j <= all.size(); ++j) {
      auto at = [&](std::size_t k) { return all.begin() + static_cast<std::ptrdiff_t>(k); };
      auto got =
          decode_chunks({Bytes(all.begin(), at(i)), Bytes(at(i), at(j)), Bytes(at(j), all.end())});
      ASSERT_EQ(got.size(), want.size()) << i << "," << j;
      for (std::size_t k = 0; k < want.size(); ++k) ASSERT_EQ(got[k].words, want[k].words);
    }
  }
}

TEST(Decoder, ByteByByte) {
  const auto want = sample_sentences();
  const Bytes all = concat(want);
  std::vector<Bytes> chunks;
  for (auto b : all) chunks.push_back({b});
  Limits limits;
  limits.max_word = 0;
  auto got = decode_chunks(chunks, limits);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(got[i].words, want[i].words);
}

TEST(Decoder, EmptySentencesIgnored) {
  Bytes in = {0, 0};
  auto s = Sentence{"!done"}.encode();
  in.insert(in.end(), s.begin(), s.end());
  in.push_back(0);
  auto got = decode_chunks({in});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].command(), "!done");
}

TEST(Decoder, RejectsReservedControlBytes) {
  for (int b = 0xF8; b <= 0xFF; ++b) {
    Decoder d;
    Bytes in = {0x05, 'h', 'e', 'l', 'l', 'o', static_cast<std::uint8_t>(b), 0, 0, 0, 0};
    d.feed(in);
    Sentence s;
    EXPECT_EQ(d.next(s), Decoder::State::kError);
    char want[64];
    std::snprintf(want, sizeof want, "reserved control byte 0x%02x", b);
    EXPECT_EQ(d.error(), want);
    EXPECT_EQ(d.next(s), Decoder::State::kError) << "errors are sticky";
  }
}

TEST(Decoder, RejectsAmbiguousFiveByteForm) {
  Decoder d;
  d.feed(Bytes{0xF3, 0, 0, 0, 1});
  Sentence s;
  EXPECT_EQ(d.next(s), Decoder::State::kError);
  EXPECT_EQ(d.error(), "invalid length prefix byte 0xf3");
}

TEST(Decoder, HostileFourGigabyteWordRejectedWithoutReading) {
  Decoder d;
  d.set_logged_in(true);
  d.feed(Bytes{0xF0, 0xFF, 0xFF, 0xFF, 0xFF});
  Sentence s;
  EXPECT_EQ(d.next(s), Decoder::State::kError);
  EXPECT_EQ(d.error(), "word of 4294967295 bytes exceeds limit 65536");
  EXPECT_EQ(d.buffered_bytes(), 0u);
}

TEST(Decoder, HostileFourGigabyteWordWithoutWordLimitNeitherAllocatesNorHangs) {
  Limits limits;
  limits.max_word = 0;
  limits.max_sentence_bytes = 0;
  Decoder d(limits);
  d.set_logged_in(true);
  d.feed(Bytes{0xF0, 0xFF, 0xFF, 0xFF, 0xFF});
  Sentence s;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(d.next(s), Decoder::State::kNeedMore);
  Bytes chunk(4096, 'a');
  for (int i = 0; i < 16; ++i) {
    d.feed(chunk);
    EXPECT_EQ(d.next(s), Decoder::State::kNeedMore);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
  // Only what arrived is held, not the announced 4 GiB.
  EXPECT_EQ(d.buffered_bytes(), 16u * 4096u);
}

TEST(Decoder, TenMegabytesBeforeLoginRejected) {
  Decoder d;
  // One huge sentence of many small words, fed in 64 KiB reads.
  Bytes chunk;
  while (chunk.size() < 64 * 1024) append_word(chunk, "=x=" + std::string(100, 'y'));
  std::size_t fed = 0;
  Sentence s;
  Decoder::State st = Decoder::State::kNeedMore;
  while (fed < 10 * 1024 * 1024 && st == Decoder::State::kNeedMore) {
    d.feed(chunk);
    fed += chunk.size();
    st = d.next(s);
  }
  EXPECT_EQ(st, Decoder::State::kError);
  EXPECT_EQ(d.error(), "more than 16384 bytes received before login");
  EXPECT_LE(d.bytes_consumed(), 16u * 1024u);
  EXPECT_LE(fed, 128u * 1024u) << "rejected within the first reads";
  EXPECT_EQ(d.buffered_bytes(), 0u);
}

TEST(Decoder, LoginLiftsPreLoginLimit) {
  Limits limits;
  limits.max_bytes_before_login = 64;
  Decoder d(limits);
  d.feed(Sentence{"/login", "=name=a", "=password=b"}.encode());
  Sentence s;
  ASSERT_EQ(d.next(s), Decoder::State::kSentence);
  d.set_logged_in(true);
  d.feed(Sentence{"/x", "=a=" + std::string(1000, 'z')}.encode());
  EXPECT_EQ(d.next(s), Decoder::State::kSentence) << d.error();
}

TEST(Decoder, WordCountLimit) {
  Limits limits;
  limits.max_words = 3;
  Decoder d(limits);
  d.set_logged_in(true);
  d.feed(Sentence{"/a", "=b=1", "=c=2"}.encode());
  Sentence s;
  EXPECT_EQ(d.next(s), Decoder::State::kSentence);
  d.feed(Sentence{"/a", "=b=1", "=c=2", "=d=3"}.encode());
  EXPECT_EQ(d.next(s), Decoder::State::kError);
  EXPECT_EQ(d.error(), "sentence of more than 3 words exceeds limit");
}

TEST(Decoder, SentenceSizeLimit) {
  Limits limits;
  limits.max_sentence_bytes = 100;
  Decoder d(limits);
  d.set_logged_in(true);
  d.feed(Sentence{"/a", std::string(60, 'x'), std::string(60, 'y')}.encode());
  Sentence s;
  EXPECT_EQ(d.next(s), Decoder::State::kError);
  EXPECT_EQ(d.error(), "sentence of more than 100 bytes exceeds limit");
}

TEST(Decoder, RandomRoundTrip) {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> nwords(1, 8), byte(0, 255);
  std::uniform_int_distribution<std::size_t> lens(0, 300);
  Limits limits;
  limits.max_word = 0;
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<Sentence> want;
    for (int i = 0; i < 3; ++i) {
      Sentence s;
      int n = nwords(rng);
      for (int w = 0; w < n; ++w) {
        std::string word(lens(rng) + 1, '\0');  // words are non-empty
        for (auto& c : word) c = static_cast<char>(byte(rng));
        s.add(std::move(word));
      }
      want.push_back(std::move(s));
    }
    // A long word now and then exercises the 3-byte prefix.
    if (iter % 50 == 0) want[0].add(std::string(0x5000, 'L'));
    Bytes all = concat(want);
    std::uniform_int_distribution<std::size_t> cut(0, all.size());
    std::size_t a = cut(rng), b = cut(rng);
    if (a > b) std::swap(a, b);
    auto at = [&](std::size_t k) { return all.begin() + static_cast<std::ptrdiff_t>(k); };
    auto got = decode_chunks(
        {Bytes(all.begin(), at(a)), Bytes(at(a), at(b)), Bytes(at(b), all.end())}, limits);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      ASSERT_EQ(got[i].words, want[i].words);
      ASSERT_EQ(got[i].encode(), want[i].encode());
    }
  }
}

}  // namespace
}  // namespace vantage::routeros
