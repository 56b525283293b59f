#include "tests/e2e/fake_dns.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>

#include <array>
#include <cctype>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "net/sockaddr.hpp"
#include "net/source.hpp"
#include "tests/support/topology.hpp"

namespace vantage::testing {

void use_test_resolver() {
  static bool done = false;
  if (done) return;
  // A slave copy of the mounts: nothing mounted here propagates back to the
  // host, so the machine's own resolv.conf is never touched.
  if (::unshare(CLONE_NEWNS) != 0 ||
      ::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
    throw std::runtime_error("use_test_resolver: cannot make a private mount namespace");
  const std::string file = "/tmp/vt-resolv-" + unique_tag() + ".conf";
  std::ofstream(file) << "nameserver " << kTestNameserver << "\noptions timeout:1 attempts:1\n";
  const int rc = ::mount(file.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr);
  std::filesystem::remove(file);  // the bind mount keeps the inode
  if (rc != 0) throw std::runtime_error("use_test_resolver: cannot bind-mount resolv.conf");
  done = true;
}

namespace {

struct Reply {
  std::chrono::steady_clock::time_point due;
  sockaddr_in to{};
  std::vector<std::uint8_t> bytes;
};

// The query name in dotted form, lower case; empty when malformed.
std::string qname(const std::uint8_t* p, std::size_t n, std::size_t& end) {
  std::string name;
  std::size_t i = 12;
  for (int labels = 0; i < n && labels < 64; ++labels) {
    const std::size_t len = p[i++];
    if (len == 0) {
      end = i;
      return name;
    }
    if (len > 63 || i + len > n) return "";
    if (!name.empty()) name += '.';
    for (std::size_t k = 0; k < len; ++k) name += static_cast<char>(std::tolower(p[i + k]));
    i += len;
  }
  return "";
}

}  // namespace

FakeDns::FakeDns(const std::string& netns, std::map<std::string, std::string> a_records,
                 std::set<std::string> hang, std::chrono::milliseconds delay)
    : a_(std::move(a_records)), hang_(std::move(hang)), delay_(delay) {
  const std::string ns = kTestNameserver;
  auto addr = net::SockAddr::parse(ns, 53);
  net::run_in_netns(netns, [&] { fd_.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)); });
  if (!fd_ || ::bind(fd_.get(), addr->sa(), addr->len()) != 0)
    throw std::runtime_error("FakeDns: cannot bind " + ns + ":53 in " + netns);
  thread_ = std::thread([this] { serve(); });
}

FakeDns::~FakeDns() {
  stop_ = true;
  thread_.join();
}

void FakeDns::serve() {
  std::deque<Reply> replies;  // a fixed delay keeps them in due order
  while (!stop_) {
    pollfd p{fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, 10) > 0) {
      std::array<std::uint8_t, 1500> q{};
      sockaddr_in from{};
      socklen_t flen = sizeof(from);
      ssize_t n = ::recvfrom(fd_.get(), q.data(), q.size(), MSG_DONTWAIT,
                             reinterpret_cast<sockaddr*>(&from), &flen);
      std::size_t end = 0;
      const std::string name = n > 12 ? qname(q.data(), static_cast<std::size_t>(n), end) : "";
      if (!name.empty() && end + 4 <= static_cast<std::size_t>(n)) {
        ++queries_;
        if (hang_.count(name) == 0) {
          const int qtype = q[end] << 8 | q[end + 1];
          auto it = a_.find(name);
          // Header: same id, QR|RD|RA, NXDOMAIN for unknown names; the question echoed.
          std::vector<std::uint8_t> r(q.begin(), q.begin() + static_cast<long>(end + 4));
          r[2] = 0x81;
          r[3] = it == a_.end() ? 0x83 : 0x80;
          r[4] = 0, r[5] = 1;               // qdcount
          r[6] = 0, r[7] = 0;               // ancount
          r[8] = r[9] = r[10] = r[11] = 0;  // nscount, arcount
          in_addr a{};
          if (it != a_.end() && qtype == 1 && inet_pton(AF_INET, it->second.c_str(), &a) == 1) {
            r[7] = 1;
            const std::uint8_t rr[] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4};
            r.insert(r.end(), std::begin(rr), std::end(rr));
            const auto* b = reinterpret_cast<const std::uint8_t*>(&a);
            r.insert(r.end(), b, b + 4);
          }
          replies.push_back({std::chrono::steady_clock::now() + delay_, from, std::move(r)});
        }
      }
    }
    const auto now = std::chrono::steady_clock::now();
    while (!replies.empty() && replies.front().due <= now) {
      const auto& r = replies.front();
      ::sendto(fd_.get(), r.bytes.data(), r.bytes.size(), 0,
               reinterpret_cast<const sockaddr*>(&r.to), sizeof(r.to));
      replies.pop_front();
    }
  }
}

}  // namespace vantage::testing
