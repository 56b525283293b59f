#pragma once
// Umbrella header for the RouterOS API codec.
#include "routeros/decoder.hpp"       // IWYU pragma: export
#include "routeros/legacy_login.hpp"  // IWYU pragma: export
#include "routeros/sentence.hpp"      // IWYU pragma: export
#include "routeros/word.hpp"          // IWYU pragma: export
