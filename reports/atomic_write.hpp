#pragma once
// Atomic file replacement, so that CI never reads half a report: the data
// goes to a temp file in the destination's directory (same filesystem),
// which is fsynced and then renamed over the destination; the directory is
// fsynced so the rename survives a crash. On any failure the temp file is
// removed, an existing destination is left untouched, and
// vantage::SystemError is thrown with the path and the OS reason.
#include <filesystem>
#include <string_view>

namespace vantage::reports {

// The new file gets mode 0644 (reports are meant to be read by others, e.g.
// a CI artifact uploader running as another user).
void write_file_atomic(const std::filesystem::path& path, std::string_view data);

}  // namespace vantage::reports
