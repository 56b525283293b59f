// Every probe of the registry (probes::registry()), one instance each: its
// schema describes exactly its keys, a minimal check parses (alone and in a
// scenario), each key it declares is accepted with a value its schema
// allows, and a misspelt key is a located error with a suggestion.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "scenarios/scenario.hpp"
#include "tests/support/probe_harness.hpp"

namespace vantage::probes {
namespace {

using testing::parse_check;

// The smallest valid check of each probe (its own keys only). A probe added
// to the registry needs a line here.
const std::map<std::string, std::string, std::less<>> kMinimalCheck = {
    {"tcp", R"({"expect": "open"})"},
    {"tls", R"({"expect": {"accept": ["TLSv1.2"]}})"},
    {"certificate", R"({"expect": {"min_days_left": 30}})"},
    {"routeros-api", R"({"expect": "api"})"},
    {"rest", R"({"expect": "rest-api"})"},
    {"routeros-state",
     R"({"expect": "certificate", "tls": true, "login": {"user": "audit", "password_env": "P"}})"},
    {"capture", R"({"expect": "no-plaintext-api"})"},
};

// A value the JSON Schema `s` allows (the first alternative, the least bound).
json sample(const json& s) {
  if (s.contains("const")) return s["const"];
  if (s.contains("enum")) return s["enum"].front();
  if (s.contains("oneOf")) return sample(s["oneOf"].front());
  const std::string type = s.value("type", "");
  if (type == "boolean") return true;
  if (type == "integer") return s.value("minimum", 1);
  if (type == "string") return "x";
  if (type == "array")
    return s.contains("items") ? json::array({sample(s["items"])}) : json::array();
  return json::object();
}

// One line of `text` (1-based).
std::string line_of(const std::string& text, int line) {
  std::istringstream in(text);
  std::string l;
  for (int i = 0; i < line && std::getline(in, l); ++i) {
  }
  return l;
}

}  // namespace

// Shown by GoogleTest for a failing instance: the probe's name.
void PrintTo(const Probe* p, std::ostream* os) {
  *os << p->name();
}

namespace {

class ProbeRegistry : public ::testing::TestWithParam<const Probe*> {
 protected:
  const Probe& probe() const { return *GetParam(); }
  std::string name() const { return std::string(probe().name()); }
  json minimal() const {
    auto it = kMinimalCheck.find(name());
    if (it == kMinimalCheck.end()) ADD_FAILURE() << "add a minimal check for probe " << name();
    return it == kMinimalCheck.end() ? json::object() : json::parse(it->second);
  }
  // `check` (the probe's part) as the only check of a scenario, one key a
  // line; returns the scenario's text.
  std::string scenario(const json& check) const {
    json c = {{"id", "c"}, {"probe", name()}};
    if (probe().needs_port()) c["port"] = 8729;
    if (probe().uses_sources()) c["from"] = "mgmt";
    c.update(check);
    const json doc = {{"vantage", 1},
                      {"target", "192.0.2.1"},
                      {"sources", {{"mgmt", {{"address", "192.0.2.10"}}}}},
                      {"checks", json::array({c})}};
    return doc.dump(2);
  }
  // The diagnostics of loading `text` as a scenario (none when it loads).
  static std::vector<Diagnostic> load(const std::string& text) {
    try {
      scenarios::parse_scenario(ConfigDoc::parse("scenario.json", text));
    } catch (const ConfigError& e) {
      return e.diagnostics();
    }
    return {};
  }
};

TEST_P(ProbeRegistry, SchemaDescribesExactlyItsKeys) {
  std::vector<std::string> keys = probe().keys(), props;
  const json schema = probe().schema();  // items() does not extend a temporary's life
  for (const auto& [k, v] : schema.items()) props.push_back(k);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end()) << "a key listed twice";
  std::sort(props.begin(), props.end());
  EXPECT_EQ(keys, props);
}

TEST_P(ProbeRegistry, MinimalCheckParses) {
  const json check = minimal();
  auto p = parse_check(name(), check.dump());
  EXPECT_TRUE(p.ok()) << p.errors();
  EXPECT_NE(p.spec, nullptr);
  for (const auto& d : load(scenario(check))) ADD_FAILURE() << d.to_string();
}

TEST_P(ProbeRegistry, EveryKeyIsAcceptedWithAValueItsSchemaAllows) {
  const json schema = probe().schema();
  for (const auto& key : probe().keys()) {
    SCOPED_TRACE(key);
    json check = minimal();
    if (key != "expect") check[key] = sample(schema[key]);
    for (const auto& d : load(scenario(check))) {
      if (d.path != "checks[0]." + key) continue;
      EXPECT_EQ(d.message.find("unknown key"), std::string::npos) << d.to_string();
      EXPECT_NE(d.message.rfind("expected ", 0), 0u) << d.to_string();
    }
  }
}

TEST_P(ProbeRegistry, UnknownKeyIsALocatedErrorWithASuggestion) {
  // The probe's longest key with two letters swapped, as a user would mistype it.
  std::vector<std::string> keys = probe().keys();
  ASSERT_FALSE(keys.empty());
  const std::string key = *std::max_element(
      keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::string typo = key;
  std::size_t i = 1;
  while (i + 1 < typo.size() && typo[i] == typo[i + 1]) ++i;
  ASSERT_LT(i + 1, typo.size()) << key;
  std::swap(typo[i], typo[i + 1]);
  json check = minimal();
  check[typo] = check.contains(key) ? check[key] : sample(probe().schema()[key]);
  const std::string suggestion = "did you mean \"" + key + "\"";

  const std::string text = scenario(check);
  const auto diags = load(text);
  auto it = std::find_if(diags.begin(), diags.end(),
                         [&](const Diagnostic& d) { return d.path == "checks[0]." + typo; });
  ASSERT_NE(it, diags.end()) << "no error at checks[0]." << typo;
  EXPECT_NE(it->message.find("unknown key"), std::string::npos) << it->to_string();
  EXPECT_NE(it->message.find(suggestion), std::string::npos) << it->to_string();
  EXPECT_NE(line_of(text, it->line).find('"' + typo + '"'), std::string::npos) << it->to_string();
  EXPECT_GT(it->column, 0) << it->to_string();

  // The harness reports it the same way, located in the check alone.
  auto p = parse_check(name(), check.dump(2));
  EXPECT_TRUE(p.has_error(typo, suggestion)) << p.errors();
}

std::string test_name(const ::testing::TestParamInfo<const Probe*>& info) {
  std::string n(info.param->name());
  std::replace_if(
      n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(Registry, ProbeRegistry, ::testing::ValuesIn(registry()), test_name);

}  // namespace
}  // namespace vantage::probes
