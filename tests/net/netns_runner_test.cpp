// Sockets for a namespace source come from that namespace's one long-lived
// thread: the right namespace every time (also after a name is reused for a
// new namespace), no thread per socket, and the caller's thread never moves.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <set>
#include <stdexcept>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "net/source.hpp"
#include "tests/support/topology.hpp"

namespace vantage::net {
namespace {

using vantage::testing::Netns;

ino_t inode_of_path(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("stat " + path);
  return st.st_ino;
}

// The network namespace a socket lives in (SIOCGSKNS, Linux 4.9).
ino_t netns_of_socket(int fd) {
  UniqueFd ns(::ioctl(fd, SIOCGSKNS));
  if (!ns) throw std::runtime_error("SIOCGSKNS failed");
  struct stat st {};
  ::fstat(ns.get(), &st);
  return st.st_ino;
}

int thread_count() {
  int n = 0;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir("/proc/self/task"), ::closedir);
  while (auto* e = ::readdir(d.get())) n += e->d_name[0] != '.';
  return n;
}

SourceSpec in(const Netns& ns) {
  SourceSpec s;
  s.name = "t";
  s.netns = ns.name();
  return s;
}

TEST(NetnsRunner, EverySocketIsInTheNamespaceAndTheCallerStaysHome) {
  Netns ns("runner");
  const ino_t home = inode_of_path("/proc/thread-self/ns/net");
  const ino_t target = inode_of_path("/run/netns/" + ns.name());
  ASSERT_NE(home, target);
  for (int i = 0; i < 50; ++i) {
    UniqueFd fd = make_socket(in(ns), AF_INET, SOCK_STREAM);
    ASSERT_EQ(netns_of_socket(fd.get()), target) << "socket " << i;
  }
  EXPECT_EQ(inode_of_path("/proc/thread-self/ns/net"), home);
}

TEST(NetnsRunner, OneThreadServesEverySocketOfANamespace) {
  Netns ns("runner");
  std::set<pid_t> threads;
  for (int i = 0; i < 200; ++i) run_in_netns(ns.name(), [&] { threads.insert(::gettid()); });
  EXPECT_EQ(threads.size(), 1U);  // the old code started a thread per call
  EXPECT_EQ(threads.count(::gettid()), 0U);
  const int before = thread_count();
  for (int i = 0; i < 500; ++i) make_socket(in(ns), AF_INET6, SOCK_STREAM);
  EXPECT_EQ(thread_count(), before);
}

TEST(NetnsRunner, AReusedNameIsANewNamespaceNotTheCachedOne) {
  std::string name;
  ino_t old_ns = 0;
  {
    Netns ns("reuse");
    name = ns.name();
    old_ns = netns_of_socket(make_socket(in(ns), AF_INET, SOCK_STREAM).get());
  }
  // Same name, new namespace (the old one is kept alive by its cached thread,
  // so its inode cannot be handed out again meanwhile).
  vantage::testing::sh("ip netns add " + name);
  SourceSpec src;
  src.name = "t";
  src.netns = name;
  ino_t new_ns = 0;
  try {
    new_ns = netns_of_socket(make_socket(src, AF_INET, SOCK_STREAM).get());
  } catch (...) {
    vantage::testing::sh("ip netns delete " + name);
    throw;
  }
  const ino_t expected = inode_of_path("/run/netns/" + name);
  vantage::testing::sh("ip netns delete " + name);
  EXPECT_NE(new_ns, old_ns);
  EXPECT_EQ(new_ns, expected);
}

TEST(NetnsRunner, ExceptionsPropagateAndNestedCallsDoNotDeadlock) {
  Netns ns("runner");
  EXPECT_THROW(run_in_netns(ns.name(), [] { throw std::runtime_error("inside"); }),
               std::runtime_error);
  bool inner_ran = false;
  run_in_netns(ns.name(), [&] { run_in_netns(ns.name(), [&] { inner_ran = true; }); });
  EXPECT_TRUE(inner_ran);
  // Still serving after a failure.
  UniqueFd fd = make_socket(in(ns), AF_INET, SOCK_DGRAM);
  EXPECT_TRUE(fd);
}

TEST(NetnsRunner, AMissingNamespaceSaysHowToCreateIt) {
  SourceSpec src;
  src.name = "t";
  src.netns = "vt-no-such-namespace";
  try {
    make_socket(src, AF_INET, SOCK_STREAM);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ip netns add"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vantage::net
