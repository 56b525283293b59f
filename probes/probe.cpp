#include "probes/probe.hpp"

namespace vantage::probes {

void RunState::record_connection(std::string local, std::string remote,
                                 std::chrono::system_clock::time_point at) {
  std::lock_guard lock(mu_);
  connections_.push_back({std::move(local), std::move(remote), at});
}

std::vector<RunState::Conn> RunState::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

void RunState::put(std::type_index type, std::shared_ptr<const void> ev) {
  std::lock_guard lock(mu_);
  evidence_[type] = std::move(ev);
}

std::shared_ptr<const void> RunState::get(std::type_index type) const {
  std::lock_guard lock(mu_);
  auto it = evidence_.find(type);
  return it == evidence_.end() ? nullptr : it->second;
}

std::string ProbeContext::cannot_resolve() const {
  return "cannot resolve target host " + target.host;
}

std::optional<net::SockAddr> ProbeContext::destination(std::uint16_t port, Observation& obs) const {
  std::optional<net::SockAddr> a = address ? address : net::SockAddr::parse(target.host);
  if (!a) {
    obs.error = cannot_resolve();
    return std::nullopt;
  }
  a->set_port(port);
  return a;
}

net::VantageConnect ProbeContext::connect(const net::SockAddr& dst, const net::VantageOptions& opt,
                                          Deadline dl) const {
  RunState* r = &run;
  return net::vantage_connect(
      source, dst, opt, dl,
      [r](const std::string& l, const std::string& rem, std::chrono::system_clock::time_point at) {
        r->record_connection(l, rem, at);
      });
}

std::chrono::milliseconds ProbeContext::remaining() const {
  return std::chrono::milliseconds(deadline.poll_ms());
}

std::vector<std::string> Probe::keys() const {
  // "expect" first (every probe has it), then the schema's order.
  std::vector<std::string> out;
  const json props = schema();
  if (props.contains("expect")) out.emplace_back("expect");
  for (const auto& [k, v] : props.items())
    if (k != "expect") out.push_back(k);
  return out;
}

}  // namespace vantage::probes
