#pragma once
// Kept for cli_test.cpp alone, until it moves to tests/cli/: the probe tests
// moved to tests/probes/ (issue 11). Include the lab config directly and
// delete this file.
#include "tests/probes/peers/lab_config.hpp"
