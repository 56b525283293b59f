#include "cli/lab_inventory.hpp"

#include <algorithm>
#include <string_view>

namespace vantage::cli {

namespace {

// A variable name for a service's port: api-ssl -> api_ssl_port.
std::string port_var(std::string service) {
  std::replace(service.begin(), service.end(), '-', '_');
  return service + "_port";
}

// RFC 4180: quoted when it holds a separator, a quote or a line break.
std::string cell(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string fleet_inventory_csv(const lab::Fleet& fleet, const std::vector<std::string>& variants,
                                const std::string& ca_file) {
  // Every service any router serves gets a column; a router without it leaves it blank.
  std::vector<std::string> services;
  for (std::size_t i = 0; i < fleet.size(); ++i)
    for (const auto& [name, svc] : fleet.router(i).config().services)
      if (!svc.disabled && std::find(services.begin(), services.end(), name) == services.end())
        services.push_back(name);
  std::sort(services.begin(), services.end());

  std::string out = "name,host,server_name,router_name,groups";
  for (const auto& s : services) out += "," + port_var(s);
  if (!ca_file.empty()) out += ",ca_file";
  out += "\n";
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    const lab::Router& r = fleet.router(i);
    const std::string id = cell(r.identity());
    out += id + "," + cell(r.config().listen.front()) + "," + id + "," + id + "," +
           cell(variants.empty() ? "" : variants[i % variants.size()]);
    for (const auto& s : services) {
      const std::uint16_t port = r.port(s);
      out += "," + (port ? std::to_string(port) : std::string());
    }
    if (!ca_file.empty()) out += "," + cell(ca_file);
    out += "\n";
  }
  return out;
}

}  // namespace vantage::cli
