// Sockets from an address source leave the port to connect(): a port taken
// at bind() is reserved for every destination, and a fleet run's TIME_WAITs
// would exhaust the range.
#include "net/source.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include "net/sockaddr.hpp"

namespace vantage::net {
namespace {

TEST(AddressSource, BindsTheAddressButNotAPort) {
  SourceSpec src;
  src.name = "mgmt";
  src.address = "127.0.0.1";
  UniqueFd fd = make_socket(src, AF_INET, SOCK_STREAM);
  auto local = SockAddr::local_of(fd.get());
  ASSERT_TRUE(local);
  EXPECT_EQ(local->ip(), "127.0.0.1");
  EXPECT_EQ(local->port(), 0);  // chosen at connect(), per destination
}

}  // namespace
}  // namespace vantage::net
