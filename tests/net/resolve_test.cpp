// net::resolve: an IP literal never touches DNS; a name is looked up within a
// bound, in the namespace asked for, and a failure names the name.
#include "net/resolve.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>

using namespace vantage;
using ::testing::HasSubstr;

TEST(Resolve, LiteralNeedsNoLookupAndNoTime) {
  auto r = net::resolve("192.0.2.7", std::nullopt, AF_UNSPEC, std::chrono::milliseconds(0));
  ASSERT_TRUE(r.address) << r.error;
  EXPECT_EQ(r.address->ip(), "192.0.2.7");
  auto v6 = net::resolve("[2001:db8::1]", std::nullopt, AF_UNSPEC, std::chrono::milliseconds(0));
  ASSERT_TRUE(v6.address) << v6.error;
  EXPECT_EQ(v6.address->ip(), "2001:db8::1");
}

TEST(Resolve, LocalhostFromHostsFile) {
  auto r = net::resolve("localhost", std::nullopt, AF_INET, std::chrono::milliseconds(2000));
  ASSERT_TRUE(r.address) << r.error;
  EXPECT_EQ(r.address->ip(), "127.0.0.1");
}

TEST(Resolve, MissingNamespaceIsAnErrorNamingIt) {
  auto r = net::resolve("localhost", std::string("/nonexistent/vantage-ns"), AF_INET,
                        std::chrono::milliseconds(2000));
  EXPECT_FALSE(r.address);
  EXPECT_THAT(r.error, HasSubstr("localhost"));
  EXPECT_THAT(r.error, HasSubstr("/nonexistent/vantage-ns"));
}
