#pragma once
// Atomic file replacement, so that CI never reads half a report: the data
// goes to a temp file in the destination's directory (same filesystem),
// which is fsynced and then renamed over the destination; the directory is
// fsynced so the rename survives a crash. On any failure the temp file is
// removed, an existing destination is left untouched, and
// vantage::SystemError is thrown with the path and the OS reason.
#include <filesystem>
#include <functional>
#include <string_view>

namespace vantage::reports {

// The new file gets mode 0644 (reports are meant to be read by others, e.g.
// a CI artifact uploader running as another user).
void write_file_atomic(const std::filesystem::path& path, std::string_view data);

// The same, for a text written piece by piece: `produce` hands each piece to
// the sink it is given, so a fleet's report is never all in memory at once.
using TextSink = std::function<void(std::string_view)>;
void write_file_atomic(const std::filesystem::path& path,
                       const std::function<void(const TextSink&)>& produce);

}  // namespace vantage::reports
