// Small parsers for what RouterOS prints: prefixes, versions, dates.
#include <arpa/inet.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "core/decimal.hpp"
#include "probes/routeros_state/routeros_state_probe.hpp"

namespace vantage::probes {

namespace {

// An address as 16 bytes (IPv4 mapped), and its family's bit count.
bool to_bytes(const std::string& ip, std::array<unsigned char, 16>& out, int& bits) {
  out.fill(0);
  in_addr a4{};
  if (inet_pton(AF_INET, ip.c_str(), &a4) == 1) {
    std::memcpy(out.data(), &a4, 4);
    bits = 32;
    return true;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, ip.c_str(), &a6) == 1) {
    std::memcpy(out.data(), &a6, 16);
    bits = 128;
    return true;
  }
  return false;
}

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

// "2026-12-02" or "dec/02/2026" -> y, m, d.
bool parse_date(const std::string& d, int& y, int& m, int& day) {
  if (std::sscanf(d.c_str(), "%4d-%2d-%2d", &y, &m, &day) == 3) return true;
  static const char* kMon[] = {"jan", "feb", "mar", "apr", "may", "jun",
                               "jul", "aug", "sep", "oct", "nov", "dec"};
  char mon[4] = {};
  if (std::sscanf(d.c_str(), "%3[a-z]/%2d/%4d", mon, &day, &y) != 3) return false;
  for (int i = 0; i < 12; ++i)
    if (std::strcmp(mon, kMon[i]) == 0) {
      m = i + 1;
      return true;
    }
  return false;
}

std::optional<int> offset_seconds(const std::string& off) {
  if (off.empty()) return 0;
  int h = 0, mi = 0;
  const char sign = off[0];
  if ((sign != '+' && sign != '-') || std::sscanf(off.c_str() + 1, "%2d:%2d", &h, &mi) != 2)
    return std::nullopt;
  return (sign == '-' ? -1 : 1) * (h * 3600 + mi * 60);
}

}  // namespace

bool in_prefix(const std::string& ip, const std::string& cidr) {
  const auto slash = cidr.find('/');
  const std::string net = trim(cidr.substr(0, slash));
  std::array<unsigned char, 16> a{}, n{};
  int abits = 0, nbits = 0;
  if (!to_bytes(trim(ip), a, abits) || !to_bytes(net, n, nbits) || abits != nbits) return false;
  int len = nbits;
  if (slash != std::string::npos) {
    char* end = nullptr;
    const std::string l = cidr.substr(slash + 1);
    len = static_cast<int>(std::strtol(l.c_str(), &end, 10));
    if (l.empty() || *end != '\0' || len < 0 || len > nbits) return false;
  }
  for (int i = 0; i < len; ++i) {
    const int mask = 0x80 >> (i % 8);
    if ((a[i / 8] & mask) != (n[i / 8] & mask)) return false;
  }
  return true;
}

bool all_within(const std::string& list, const std::string& range) {
  if (trim(list).empty()) return false;  // no restriction: everyone
  std::size_t pos = 0;
  while (pos <= list.size()) {
    const auto comma = list.find(',', pos);
    const std::string e = trim(list.substr(pos, comma - pos));
    // An entry is inside the range when its network address is and its prefix is no wider.
    const auto slash = e.find('/');
    const std::string base = e.substr(0, slash);
    const auto rslash = range.find('/');
    // A prefix length that does not read is not within anything.
    const auto elen = slash == std::string::npos
                          ? std::optional<long>(128)
                          : parse_decimal(std::string_view(e).substr(slash + 1), 128);
    const auto rlen = rslash == std::string::npos
                          ? std::optional<long>(128)
                          : parse_decimal(std::string_view(range).substr(rslash + 1), 128);
    if (!elen || !rlen || !in_prefix(base, range) || *elen < *rlen) return false;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return true;
}

std::optional<int> compare_versions(const std::string& a, const std::string& b) {
  // Parts: numbers; a trailing "rcN"/"betaN" counts below the release.
  constexpr long kPartMax = 999'999'999;
  auto parts = [](const std::string& v) -> std::optional<std::vector<long>> {
    std::vector<long> out;
    std::size_t i = 0;
    while (i < v.size() && out.size() < 8) {
      if (!std::isdigit(static_cast<unsigned char>(v[i]))) return std::nullopt;
      long n = 0;
      while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])))
        if (!push_digit(n, v[i++], kPartMax)) return std::nullopt;  // not a RouterOS version
      out.push_back(n);
      if (i == v.size()) break;
      if (v[i] == '.') {
        ++i;
        continue;
      }
      const std::string rest = v.substr(i);
      // "rcN"/"betaN" (N < 100: below the release, rc above beta).
      auto pre_number = [&](std::size_t skip) -> std::optional<long> {
        return rest.size() == skip ? std::optional<long>(0)
                                   : parse_decimal(std::string_view(rest).substr(skip), 99);
      };
      std::optional<long> n_pre;
      long pre = 0;
      if (rest.rfind("rc", 0) == 0 && (n_pre = pre_number(2)))
        pre = -100 + *n_pre;
      else if (rest.rfind("beta", 0) == 0 && (n_pre = pre_number(4)))
        pre = -200 + *n_pre;
      else
        return std::nullopt;
      out.push_back(pre);
      return out;
    }
    return out.empty() ? std::nullopt : std::optional(out);
  };
  auto pa = parts(trim(a.substr(0, a.find(' '))));  // "7.12.1 (stable)"
  auto pb = parts(trim(b.substr(0, b.find(' '))));
  if (!pa || !pb) return std::nullopt;
  const std::size_t n = std::max(pa->size(), pb->size());
  for (std::size_t i = 0; i < n; ++i) {
    const long x = i < pa->size() ? (*pa)[i] : 0, y = i < pb->size() ? (*pb)[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

std::optional<std::int64_t> router_time(const std::string& date, const std::string& time,
                                        const std::string& gmt_offset) {
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
  if (!parse_date(date, y, m, d) || std::sscanf(time.c_str(), "%2d:%2d:%2d", &hh, &mm, &ss) != 3)
    return std::nullopt;
  auto off = offset_seconds(gmt_offset);
  if (!off) return std::nullopt;
  std::tm t{};
  t.tm_year = y - 1900;
  t.tm_mon = m - 1;
  t.tm_mday = d;
  t.tm_hour = hh;
  t.tm_min = mm;
  t.tm_sec = ss;
  return static_cast<std::int64_t>(timegm(&t)) - *off;
}

std::optional<std::int64_t> log_time(const std::string& t, const std::string& today,
                                     const std::string& gmt_offset) {
  const auto sp = t.rfind(' ');
  if (sp == std::string::npos) return router_time(today, t, gmt_offset);
  std::string date = t.substr(0, sp);
  int y = 0, m = 0, d = 0;
  if (!parse_date(date, y, m, d) && parse_date(today, y, m, d))
    date += "/" + std::to_string(y);  // "dec/02": this year's
  return router_time(date, t.substr(sp + 1), gmt_offset);
}

bool has_word(const std::string& comma_list, const std::string& word) {
  std::size_t pos = 0;
  while (pos <= comma_list.size()) {
    const auto comma = comma_list.find(',', pos);
    if (trim(comma_list.substr(pos, comma - pos)) == word) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

}  // namespace vantage::probes
