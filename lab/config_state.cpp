// The router state a lab config describes beyond its services and users:
// "system", "firewall" (filter rules, address lists, NFLOG group) and
// "certificates". Spelled as RouterOS spells the menus' attributes.
#include <algorithm>

#include "lab/config.hpp"

namespace vantage::lab {

namespace {

const std::vector<std::string> kActions = {"accept", "drop", "reject", "log"};
const std::vector<std::string> kProtocols = {"tcp", "udp", "icmp"};

// "8728", "8728,8729", "8000-8100": what nft can say as a port set.
bool valid_ports(const std::string& s) {
  if (s.empty()) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto dash = part.find('-');
    for (const auto& n : {part.substr(0, dash), dash == std::string::npos ? part : part.substr(dash + 1)}) {
      if (n.empty() || n.size() > 5 || !std::all_of(n.begin(), n.end(), ::isdigit) || std::stoi(n) > 65535)
        return false;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

void one_of(const std::string& v, const std::vector<std::string>& allowed, const JsonPath& at,
            Diagnostics& diags) {
  if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return;
  std::string msg = "\"" + v + "\" is not one of:";
  for (const auto& a : allowed) msg += " " + a;
  if (auto dym = did_you_mean(v, allowed)) msg += "; did you mean \"" + *dym + "\"?";
  diags.error(at, msg);
}

FilterRule parse_rule(const json& obj, const JsonPath& p, Diagnostics& diags) {
  FilterRule r;
  if (!check_keys(obj, p,
                  {"chain", "action", "protocol", "dst-port", "src-address", "src-address-list",
                   "reject-with", "log", "log-prefix", "comment", "disabled"},
                  diags))
    return r;
  r.chain = get_string(obj, p, "chain", diags).value_or("input");
  if (r.chain != "input") diags.error(p / "chain", "the lab models chain=input only");
  r.action = get_string(obj, p, "action", diags).value_or("accept");
  one_of(r.action, kActions, p / "action", diags);
  r.protocol = get_string(obj, p, "protocol", diags).value_or("");
  if (!r.protocol.empty()) one_of(r.protocol, kProtocols, p / "protocol", diags);
  r.dst_port = get_string(obj, p, "dst-port", diags).value_or("");
  if (!r.dst_port.empty()) {
    if (!valid_ports(r.dst_port))
      diags.error(p / "dst-port", "\"" + r.dst_port + "\" is not a port list (e.g. \"8728,8729\")");
    if (r.protocol != "tcp" && r.protocol != "udp")
      diags.error(p / "dst-port", "dst-port needs protocol=tcp or protocol=udp, as on RouterOS");
  }
  r.src_address = get_string(obj, p, "src-address", diags).value_or("");
  if (!r.src_address.empty()) {
    std::string a = r.src_address[0] == '!' ? r.src_address.substr(1) : r.src_address;
    if (!Prefix::parse(a))
      diags.error(p / "src-address", "\"" + r.src_address + "\" is not an address or prefix");
  }
  r.src_address_list = get_string(obj, p, "src-address-list", diags).value_or("");
  r.reject_with = get_string(obj, p, "reject-with", diags).value_or("");
  if (!r.reject_with.empty() && r.action != "reject")
    diags.error(p / "reject-with", "reject-with needs action=reject");
  r.log = get_bool(obj, p, "log", diags).value_or(false);
  r.log_prefix = get_string(obj, p, "log-prefix", diags).value_or("");
  r.comment = get_string(obj, p, "comment", diags).value_or("");
  r.disabled = get_bool(obj, p, "disabled", diags).value_or(false);
  return r;
}

void parse_firewall(const json& fw, const JsonPath& p, LabConfig& cfg, Diagnostics& diags) {
  if (!check_keys(fw, p, {"filter", "address-list", "nflog-group"}, diags)) return;
  cfg.nflog_group = static_cast<int>(get_int(fw, p, "nflog-group", diags, 1, 65535).value_or(0));
  if (auto it = fw.find("address-list"); it != fw.end()) {
    if (!it->is_array()) diags.error(p / "address-list", "expected a list of {list, address}");
    for (std::size_t i = 0; it->is_array() && i < it->size(); ++i) {
      const json& e = (*it)[i];
      const JsonPath ep = p / "address-list" / i;
      if (!check_keys(e, ep, {"list", "address", "comment", "disabled"}, diags)) continue;
      AddressListEntry a;
      a.list = get_string(e, ep, "list", diags, true).value_or("");
      auto addr = get_string(e, ep, "address", diags, true).value_or("");
      if (auto pr = Prefix::parse(addr)) {
        a.address = *pr;
      } else if (!addr.empty()) {
        diags.error(ep / "address", "\"" + addr + "\" is not an address or prefix");
      }
      a.comment = get_string(e, ep, "comment", diags).value_or("");
      a.disabled = get_bool(e, ep, "disabled", diags).value_or(false);
      cfg.address_list.push_back(std::move(a));
    }
  }
  if (auto it = fw.find("filter"); it != fw.end()) {
    if (!it->is_array()) diags.error(p / "filter", "expected a list of rules");
    for (std::size_t i = 0; it->is_array() && i < it->size(); ++i) {
      FilterRule r = parse_rule((*it)[i], p / "filter" / i, diags);
      std::string list = r.src_address_list;
      if (!list.empty() && list[0] == '!') list = list.substr(1);
      if (!list.empty() && std::none_of(cfg.address_list.begin(), cfg.address_list.end(),
                                        [&](const AddressListEntry& a) { return a.list == list; }))
        diags.error(p / "filter" / i / "src-address-list",
                    "no address-list entry has list \"" + list +
                        "\" (RouterOS would match nothing; add one to firewall.address-list)");
      cfg.filter.push_back(std::move(r));
    }
  }
}

}  // namespace

void parse_state(const json& root, const std::string& /*base*/, LabConfig& cfg,
                 Diagnostics& diags) {
  const JsonPath top;
  if (auto it = root.find("system"); it != root.end()) {
    const JsonPath sp = top / "system";
    if (check_keys(*it, sp,
                   {"board-name", "architecture-name", "latest-version", "channel",
                    "clock-skew-s"},
                   diags)) {
      auto& s = cfg.system;
      s.board_name = get_string(*it, sp, "board-name", diags).value_or(s.board_name);
      s.architecture = get_string(*it, sp, "architecture-name", diags).value_or(s.architecture);
      s.latest_version = get_string(*it, sp, "latest-version", diags).value_or("");
      s.channel = get_string(*it, sp, "channel", diags).value_or(s.channel);
      s.clock_skew =
          std::chrono::seconds(get_int(*it, sp, "clock-skew-s", diags, -86'400 * 365, 86'400 * 365)
                                   .value_or(0));
    }
  }
  if (auto it = root.find("firewall"); it != root.end())
    parse_firewall(*it, top / "firewall", cfg, diags);
  if (auto it = root.find("certificates"); it != root.end()) {
    const JsonPath cp = top / "certificates";
    if (!it->is_array()) diags.error(cp, "expected a list of certificate records");
    for (std::size_t i = 0; it->is_array() && i < it->size(); ++i) {
      const json& e = (*it)[i];
      const JsonPath ep = cp / i;
      if (!check_keys(e, ep, {"name", "common-name", "fingerprint", "invalid-after"}, diags))
        continue;
      CertificateRecord c;
      c.name = get_string(e, ep, "name", diags, true).value_or("");
      c.common_name = get_string(e, ep, "common-name", diags).value_or("");
      c.fingerprint = get_string(e, ep, "fingerprint", diags).value_or("");
      c.invalid_after = get_string(e, ep, "invalid-after", diags).value_or("");
      cfg.certificates.push_back(std::move(c));
    }
  }
}

}  // namespace vantage::lab
