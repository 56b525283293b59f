// main() for tests registered with PROFILES: the link profile (a private
// network namespace, its loopback slowed by `vantage wire`) is set up before
// GoogleTest or any thread starts, and torn down after the last test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <iostream>

#include "tests/support/link_profile.hpp"

int main(int argc, char** argv) {
  bool listing = false;  // test discovery at build time: no namespace, no root needed
  for (int i = 1; i < argc; ++i)
    listing = listing || std::strcmp(argv[i], "--gtest_list_tests") == 0;
  std::unique_ptr<vantage::testing::Wire> wire;
  if (!listing) {
    try {
      wire = vantage::testing::enter_link_profile();
    } catch (const std::exception& e) {
      std::cerr << "link profile: " << e.what() << "\n";
      return 1;
    }
  }
  ::testing::InitGoogleMock(&argc, argv);
  if (!listing && std::getenv("VANTAGE_LINK_PROFILE"))
    std::cout << "link profile: " << vantage::testing::link_profile().name << "\n";
  const int rc = RUN_ALL_TESTS();
  if (wire && wire->stop() != 0)
    std::cerr << "link profile: vantage wire:\n" << wire->log() << "\n";
  return rc;
}
