// The run-wide capture of a plan: one per run, so every scenario's "capture"
// object is either the one the run starts or an error, never dropped.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "scenarios/scenario.hpp"

namespace vantage::scenarios {

namespace {

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

std::string port_list(const std::vector<std::uint16_t>& ports) {
  return fmt::format("[{}]", fmt::join(ports, ", "));
}

// What `here` and `there` disagree on, one "field: X here, Y in FILE" each;
// empty when they are the same capture.
std::vector<std::string> differences(const capture::CaptureConfig& here,
                                     const capture::CaptureConfig& there,
                                     const std::string& there_file) {
  // Every member is bound: a field added to CaptureConfig stops this
  // compiling until it is compared here too.
  const auto& [h_if, h_ns, h_filter, h_file, h_drain, h_api, h_tls] = here;
  const auto& [t_if, t_ns, t_filter, t_file, t_drain, t_api, t_tls] = there;
  std::vector<std::string> out;
  auto differ = [&](const char* field, const std::string& h, const std::string& t) {
    if (h != t) out.push_back(fmt::format("{}: {} here, {} in {}", field, h, t, there_file));
  };
  auto path = [](const std::string& f) {
    return quoted(std::filesystem::path(f).lexically_normal().string());
  };
  differ("interface", quoted(h_if), quoted(t_if));
  differ("netns", h_ns ? quoted(*h_ns) : "none", t_ns ? quoted(*t_ns) : "none");
  differ("filter", quoted(h_filter), quoted(t_filter));
  differ("file", path(h_file), path(t_file));
  differ("drain_ms", std::to_string(h_drain.count()), std::to_string(t_drain.count()));
  differ("api_ports", port_list(h_api), port_list(t_api));
  differ("tls_ports", port_list(h_tls), port_list(t_tls));
  return out;
}

// It has a "capture" object or a capture check.
bool wants_capture(const Scenario& sc) {
  return sc.capture || std::any_of(sc.checks.begin(), sc.checks.end(),
                                   [](const Check& c) { return c.common.probe == "capture"; });
}

// A fleet run (--inventory) loads one file once per target: a port that is
// a per-target variable makes the copies differ in their ports only. Those
// merge, the capture watching every target's ports.
void add_ports(std::vector<std::uint16_t>& to, const std::vector<std::uint16_t>& from) {
  for (auto p : from)
    if (std::find(to.begin(), to.end(), p) == to.end()) to.push_back(p);
}

}  // namespace

std::optional<capture::CaptureConfig> plan_capture(const std::vector<Scenario>& plan) {
  const Scenario* first = nullptr;  // the first scenario with a "capture" object
  std::optional<capture::CaptureConfig> merged;
  bool wanted = false;
  std::vector<Diagnostic> conflicts;
  for (const auto& sc : plan) {
    wanted = wanted || wants_capture(sc);
    if (!sc.capture) continue;
    if (!first) {
      first = &sc;
      merged = *sc.capture;
      continue;
    }
    auto ports_aside = *sc.capture;
    if (sc.file == first->file) {
      ports_aside.api_ports = first->capture->api_ports;
      ports_aside.tls_ports = first->capture->tls_ports;
    }
    auto diff = differences(ports_aside, *first->capture, first->file);
    if (diff.empty()) {
      add_ports(merged->api_ports, sc.capture->api_ports);
      add_ports(merged->tls_ports, sc.capture->tls_ports);
      continue;
    }
    conflicts.push_back(
        {sc.file, 0, 0, "capture",
         fmt::format("one run has one capture, and this \"capture\" differs from the one in {} "
                     "({}); give the scenarios the same \"capture\" object, or run them "
                     "separately",
                     first->file, fmt::join(diff, "; "))});
  }
  if (!conflicts.empty()) throw ConfigError(std::move(conflicts));
  if (!wanted) return std::nullopt;
  return merged ? *merged : capture::CaptureConfig{};
}

}  // namespace vantage::scenarios
