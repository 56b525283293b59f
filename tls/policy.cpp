#include "tls/policy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/json_config.hpp"
#include "tls/cipher_suites.hpp"
#include "tls/client_hello.hpp"

namespace vantage::tls {

// Generated from policies/*.json at configure time (tls/CMakeLists.txt).
const std::vector<std::pair<std::string, std::string>>& builtin_policy_texts();

std::vector<std::string> builtin_policy_names() {
  std::vector<std::string> out;
  for (const auto& [name, text] : builtin_policy_texts()) out.push_back(name);
  return out;
}

namespace {

std::optional<std::set<std::uint16_t>> suites(const json& root, const JsonPath& path,
                                              const char* key, bool tls13, Diagnostics& diags) {
  auto names = get_string_list(root, path, key, diags);
  if (!names) return std::nullopt;
  std::set<std::uint16_t> out;
  for (std::size_t i = 0; i < names->size(); ++i) {
    const CipherSuite* s = find_suite((*names)[i]);
    if (!s)
      diags.error(path / key / i, fmt::format("unknown cipher suite '{}'", (*names)[i]));
    else if (s->tls13 != tls13)
      diags.error(path / key / i,
                  fmt::format("'{}' is {}a TLS 1.3 suite", (*names)[i], tls13 ? "not " : ""));
    else
      out.insert(s->code);
  }
  return out;
}

std::optional<int> opt_int(const json& root, const JsonPath& path, const char* key,
                           Diagnostics& diags) {
  if (root.contains(key) && root[key].is_null()) return std::nullopt;  // Mozilla writes null
  auto v = get_int(root, path, key, diags, 1, 1 << 20);
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

bool is_ffdhe_group(std::uint16_t g) {
  return g >= 0x0100 && g <= 0x01ff;  // RFC 7919 range
}

int group_bits(std::uint16_t g) {
  switch (g) {
    case 0x0012:
    case 0x0013: return 192;
    case 0x0015: return 224;
    case 0x0016:
    case 0x0017:
    case 0x001d: return 256;
    case 0x0018: return 384;
    case 0x0019: return 521;
    case 0x001e: return 448;
    default: return 0;  // unknown: not judged
  }
}

std::string join_versions(const std::vector<Version>& v) {
  std::vector<std::string> n;
  for (Version x : v) n.emplace_back(to_string(x));
  return fmt::format("{}", fmt::join(n, ", "));
}

}  // namespace

Policy parse_policy(const std::string& file, const std::string& text) {
  ConfigDoc doc = ConfigDoc::parse(file, text);
  Diagnostics diags(doc);
  const json& root = doc.root();
  JsonPath path;
  Policy p;
  if (!check_keys(
          root, path,
          {"vantage_tls_policy", "name", "source", "versions", "ciphers", "ciphersuites",
           "certificate_types", "certificate_signatures", "certificate_curves", "rsa_key_size",
           "dh_param_size", "ecdh_param_size", "maximum_certificate_lifespan"},
          diags))
    diags.throw_if_any();
  get_int(root, path, "vantage_tls_policy", diags, 1, 1);
  p.name = get_string(root, path, "name", diags, true).value_or("");
  p.source = get_string(root, path, "source", diags).value_or("");
  if (auto vs = get_string_list(root, path, "versions", diags)) {
    for (std::size_t i = 0; i < vs->size(); ++i) {
      if (auto v = version_from((*vs)[i]))
        p.versions.push_back(*v);
      else
        diags.error(path / "versions" / i,
                    fmt::format("unknown version '{}' (SSLv3, TLSv1.0 .. TLSv1.3)", (*vs)[i]));
    }
  }
  p.ciphers = suites(root, path, "ciphers", false, diags);
  p.ciphersuites = suites(root, path, "ciphersuites", true, diags);
  p.certificate_types =
      get_string_list(root, path, "certificate_types", diags).value_or(std::vector<std::string>{});
  for (auto& t : p.certificate_types)
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  p.certificate_signatures = get_string_list(root, path, "certificate_signatures", diags)
                                 .value_or(std::vector<std::string>{});
  p.certificate_curves =
      get_string_list(root, path, "certificate_curves", diags).value_or(std::vector<std::string>{});
  p.rsa_key_size = opt_int(root, path, "rsa_key_size", diags);
  p.dh_param_size = opt_int(root, path, "dh_param_size", diags);
  p.ecdh_param_size = opt_int(root, path, "ecdh_param_size", diags);
  p.maximum_certificate_lifespan = opt_int(root, path, "maximum_certificate_lifespan", diags);
  diags.throw_if_any();
  return p;
}

Policy load_policy(const std::string& name_or_path, const std::filesystem::path& base_dir) {
  for (const auto& [name, text] : builtin_policy_texts())
    if (name == name_or_path) return parse_policy("policies/" + name + ".json", text);
  const bool looks_like_path = name_or_path.find('/') != std::string::npos ||
                               name_or_path.ends_with(".json") || name_or_path.ends_with(".jsonc");
  if (!looks_like_path) {
    std::string msg = fmt::format("unknown TLS policy '{}' (built in: {}; or a file path)",
                                  name_or_path, fmt::join(builtin_policy_names(), ", "));
    if (auto dym = did_you_mean(name_or_path, builtin_policy_names()))
      msg += fmt::format("; did you mean '{}'?", *dym);
    throw ConfigError({Diagnostic{name_or_path, 0, 0, "policy", msg}});
  }
  std::filesystem::path p(name_or_path);
  if (p.is_relative()) p = base_dir / p;
  std::ifstream in(p);
  if (!in)
    throw ConfigError({Diagnostic{p.string(), 0, 0, "policy",
                                  fmt::format("cannot read TLS policy file '{}'", p.string())}});
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_policy(p.string(), ss.str());
}

bool policy_needs_certificate(const Policy& p) {
  return !p.certificate_types.empty() || !p.certificate_signatures.empty() ||
         !p.certificate_curves.empty() || p.rsa_key_size || p.maximum_certificate_lifespan;
}

bool ffdhe_exchange(const SuiteResult& s) {
  const CipherSuite* cs = find_suite(s.code);
  if (cs && cs->tls13) return s.ecdh_group && is_ffdhe_group(*s.ecdh_group);
  return cs && cs->ffdhe_kx();
}

bool ecdhe_exchange(const SuiteResult& s) {
  const CipherSuite* cs = find_suite(s.code);
  if (cs && cs->tls13) return !s.ecdh_group || !is_ffdhe_group(*s.ecdh_group);
  return cs && cs->ecdhe_kx();
}

int ecdh_group_bits(std::uint16_t group) {
  return group_bits(group);
}

std::string dh_size_unknown(Version v, const SuiteResult& s) {
  if (!ffdhe_exchange(s) || s.dh_bits) return "";
  return fmt::format("{} {}: DH group size never seen (no ServerKeyExchange was read)",
                     to_string(v), suite_name(s.code));
}

std::string ecdh_size_unknown(Version v, const SuiteResult& s) {
  if (!ecdhe_exchange(s)) return "";
  if (!s.ecdh_group)
    return fmt::format("{} {}: ECDH group never seen (no ServerKeyExchange was read)", to_string(v),
                       suite_name(s.code));
  if (!group_bits(*s.ecdh_group))
    return fmt::format("{} {}: ECDH group {} of unknown size", to_string(v), suite_name(s.code),
                       group_name(*s.ecdh_group));
  return "";
}

std::vector<std::string> policy_unknowns(const Policy& p, const ScanResult& scan,
                                         const std::optional<CertInfo>& leaf) {
  std::vector<std::string> out;
  for (const VersionResult& vr : scan.versions) {
    if (!vr.accepted) continue;
    // A version the policy does not allow is a deviation whatever its suites.
    if (std::find(p.versions.begin(), p.versions.end(), vr.version) == p.versions.end()) continue;
    for (const SuiteResult& s : vr.suites) {
      if (p.dh_param_size)
        if (auto u = dh_size_unknown(vr.version, s); !u.empty()) out.push_back(u);
      if (p.ecdh_param_size)
        if (auto u = ecdh_size_unknown(vr.version, s); !u.empty()) out.push_back(u);
    }
  }
  if (policy_needs_certificate(p) && !leaf)
    out.push_back(fmt::format(
        "policy {} judges the certificate, and no certificate seen (TLS 1.3 encrypts it and the "
        "extra OpenSSL handshake did not complete)",
        p.name));
  return out;
}

std::vector<Deviation> policy_deviations(const Policy& p, const ScanResult& scan,
                                         const std::optional<CertInfo>& leaf) {
  std::vector<Deviation> out;
  const std::string who = p.name;
  for (const VersionResult& vr : scan.versions) {
    if (!vr.accepted) continue;
    if (std::find(p.versions.begin(), p.versions.end(), vr.version) == p.versions.end()) {
      out.push_back({"version", fmt::format("{} accepted; {} allows only {}", to_string(vr.version),
                                            who, join_versions(p.versions))});
      continue;  // its suites are all wrong already; one finding per version is clearer
    }
    const bool tls13 = vr.version == Version::kTls13;
    const auto& allowed = tls13 ? p.ciphersuites : p.ciphers;
    for (const SuiteResult& s : vr.suites) {
      if (allowed && !allowed->count(s.code))
        out.push_back({"cipher", fmt::format("{} {} accepted; not in {}", to_string(vr.version),
                                             suite_name(s.code), who)});
      if (p.dh_param_size && s.dh_bits && *s.dh_bits < *p.dh_param_size)
        out.push_back({"dh", fmt::format("{} {} uses a {}-bit DH group; {} requires {} bits",
                                         to_string(vr.version), suite_name(s.code), *s.dh_bits, who,
                                         *p.dh_param_size)});
      if (p.ecdh_param_size && ecdhe_exchange(s) && s.ecdh_group && group_bits(*s.ecdh_group) &&
          group_bits(*s.ecdh_group) < *p.ecdh_param_size)
        out.push_back({"dh", fmt::format("{} {} uses group {}; {} requires {} bits",
                                         to_string(vr.version), suite_name(s.code),
                                         group_name(*s.ecdh_group), who, *p.ecdh_param_size)});
    }
  }
  if (!leaf) return out;
  std::string type = leaf->key_type == "EC" ? "ecdsa" : leaf->key_type;
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (!p.certificate_types.empty() &&
      std::find(p.certificate_types.begin(), p.certificate_types.end(), type) ==
          p.certificate_types.end())
    out.push_back({"certificate", fmt::format("certificate key type {}; {} allows {}", type, who,
                                              fmt::join(p.certificate_types, ", "))});
  if (!p.certificate_signatures.empty() &&
      std::find(p.certificate_signatures.begin(), p.certificate_signatures.end(),
                leaf->signature) == p.certificate_signatures.end())
    out.push_back(
        {"certificate", fmt::format("certificate signature {}; {} allows {}", leaf->signature, who,
                                    fmt::join(p.certificate_signatures, ", "))});
  if (type == "ecdsa" && !p.certificate_curves.empty() &&
      std::find(p.certificate_curves.begin(), p.certificate_curves.end(), leaf->curve) ==
          p.certificate_curves.end())
    out.push_back({"key", fmt::format("certificate curve {}; {} allows {}", leaf->curve, who,
                                      fmt::join(p.certificate_curves, ", "))});
  if (type == "rsa" && p.rsa_key_size && leaf->key_bits < *p.rsa_key_size)
    out.push_back({"key", fmt::format("RSA key of {} bits; {} requires {}", leaf->key_bits, who,
                                      *p.rsa_key_size)});
  if (p.maximum_certificate_lifespan && leaf->lifespan_days > *p.maximum_certificate_lifespan)
    out.push_back(
        {"certificate", fmt::format("certificate lifespan {} days; {} allows at most {}",
                                    leaf->lifespan_days, who, *p.maximum_certificate_lifespan)});
  return out;
}

}  // namespace vantage::tls
