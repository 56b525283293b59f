#include "lab/query.hpp"

#include <gtest/gtest.h>

namespace vantage::lab {
namespace {

const Row kRow = {{"name", "api"}, {"port", "8728"}, {"disabled", "false"}};

struct Case {
  std::vector<std::string> query;
  bool match;
};

class Query : public ::testing::TestWithParam<Case> {};

TEST_P(Query, Matches) {
  EXPECT_EQ(query_matches(GetParam().query, kRow), GetParam().match);
}

INSTANTIATE_TEST_SUITE_P(
    Stack, Query,
    ::testing::Values(Case{{}, true}, Case{{"?name=api"}, true}, Case{{"?=name=api"}, true},
                      Case{{"?name=www"}, false}, Case{{"?name"}, true}, Case{{"?comment"}, false},
                      Case{{"?-comment"}, true}, Case{{"?-name"}, false},
                      Case{{"?<port=10000"}, true}, Case{{"?<port=900"}, false},  // numeric
                      Case{{"?>port=900"}, true}, Case{{"?name=www", "?name=api", "?#|"}, true},
                      Case{{"?name=www", "?name=api", "?#&"}, false},
                      Case{{"?name=api", "?#!"}, false},
                      Case{{"?name=api", "?port=8728"}, true},  // implicit and of the stack
                      Case{{"?name=api", "?port=1"}, false},
                      Case{{"?name=www", "?port=8728", "?#|!"}, false},
                      Case{{"?name=api", "?#."}, true}, Case{{"?#&"}, false}));

}  // namespace
}  // namespace vantage::lab
