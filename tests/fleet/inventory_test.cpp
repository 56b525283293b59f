// Every inventory format from real files in a temporary directory: what a
// good file gives (names, hosts, vars with Ansible's precedence, groups), and
// for a bad one, the file:line:column and what to write instead.
#include "fleet/inventory.hpp"

#include <gtest/gtest.h>

#include "tests/support/topology.hpp"

namespace vantage::fleet {
namespace {

using vantage::testing::TempDir;

// Every problem of a bad file, one per line.
std::string problems_of(const std::string& path) {
  try {
    load_inventory(path);
  } catch (const ConfigError& e) {
    std::string out;
    for (const auto& d : e.diagnostics()) out += d.to_string() + "\n";
    return out;
  }
  return "(no problem)";
}

const InventoryTarget& target(const Inventory& inv, const std::string& name) {
  for (const auto& t : inv.targets)
    if (t.name == name) return t;
  throw std::runtime_error("no target " + name);
}

TEST(InventoryCsv, HeaderNamesTheColumnsAndOthersAreVars) {
  TempDir d;
  d.write("fleet.csv",
          "name,host,server_name,groups,site\n"
          "core-rtr-1,192.0.2.1,core-rtr-1.example.net,core,\"Berlin, DE\"\n"
          "\n"
          "# a comment row\r\n"
          "edge-rtr-1,198.51.100.1,,edge;branch,\"say \"\"hi\"\"\"\r\n"
          ",203.0.113.9,x.example.net,,\n");
  const auto inv = load_inventory(d.file("fleet.csv"));
  EXPECT_EQ(inv.format, "csv");
  ASSERT_EQ(inv.targets.size(), 3u);
  const auto& a = inv.targets[0];
  EXPECT_EQ(a.name, "core-rtr-1");
  EXPECT_EQ(a.host, "192.0.2.1");
  EXPECT_EQ(a.vars.at("server_name"), "core-rtr-1.example.net");
  EXPECT_EQ(a.vars.at("site"), "Berlin, DE");
  EXPECT_EQ(a.vars.count("groups"), 0u);
  EXPECT_EQ(a.groups, (std::vector<std::string>{"all", "core"}));
  EXPECT_EQ(a.at.line, 2);
  const auto& b = inv.targets[1];
  EXPECT_EQ(b.vars.count("server_name"), 0u) << "a blank cell leaves the var unset";
  EXPECT_EQ(b.vars.at("site"), "say \"hi\"");
  EXPECT_EQ(b.groups, (std::vector<std::string>{"all", "branch", "edge"}));
  EXPECT_EQ(b.at.line, 5);
  EXPECT_EQ(inv.targets[2].name, "203.0.113.9") << "no name: the host names it";
  EXPECT_EQ(inv.groups, (std::vector<std::string>{"all", "branch", "core", "edge"}));
}

TEST(InventoryCsv, BadRowsAreLocatedWithWhatToWrite) {
  TempDir d;
  d.write("short.csv", "name,host,server_name\nrtr1,192.0.2.1\nrtr2,192.0.2.2,a,b\n");
  const auto p = problems_of(d.file("short.csv"));
  EXPECT_NE(p.find("short.csv:2:"), std::string::npos) << p;
  EXPECT_NE(p.find("this row has 2 fields, the header 3"), std::string::npos) << p;
  EXPECT_NE(p.find("short.csv:3:18: this row has 4 fields"), std::string::npos) << p;
  EXPECT_NE(p.find("quote a value that holds a comma"), std::string::npos) << p;

  d.write("nohost.csv", "name,address\nrtr1,192.0.2.1\n");
  EXPECT_NE(
      problems_of(d.file("nohost.csv")).find("nohost.csv:1:1: the header row has no \"host\""),
      std::string::npos);

  d.write("semi.csv", "name;host\nrtr1;192.0.2.1\n");
  EXPECT_NE(problems_of(d.file("semi.csv"))
                .find("semi.csv:1:1: the header row is one column with "
                      "';' in it; separate columns with ','"),
            std::string::npos);

  d.write("quote.csv", "name,host\nrtr1,\"192.0.2.1\n");
  const auto q = problems_of(d.file("quote.csv"));
  EXPECT_NE(q.find("quote.csv:2:6: this quoted value is never closed"), std::string::npos) << q;

  d.write("dup.csv", "name,host\nrtr1,192.0.2.1\nrtr1,192.0.2.2\nrtr2,\n");
  const auto u = problems_of(d.file("dup.csv"));
  EXPECT_NE(u.find("dup.csv:3:1: duplicate target name \"rtr1\" (first at " + d.file("dup.csv") +
                   ":2:1)"),
            std::string::npos)
      << u;
  EXPECT_NE(u.find("dup.csv:4:6: empty host"), std::string::npos) << u;
}

TEST(InventoryCsv, ASpreadsheetsByteOrderMarkIsNotPartOfTheFirstColumn) {
  TempDir d;
  d.write("excel.csv", "\xEF\xBB\xBFname,host\r\nrtr1,192.0.2.1\r\n");
  const auto inv = load_inventory(d.file("excel.csv"));
  ASSERT_EQ(inv.targets.size(), 1u);
  EXPECT_EQ(inv.targets[0].name, "rtr1");
  EXPECT_EQ(inv.targets[0].host, "192.0.2.1");
}

TEST(InventoryJson, AListOrHostsWithVars) {
  TempDir d;
  d.write("list.json", R"([
    // comments are allowed
    {"name": "core-rtr-1", "host": "192.0.2.1", "server_name": "c1.example.net",
     "api_ssl_port": 8729, "legacy": false, "groups": ["core"]},
    {"host": "192.0.2.2", "vars": {"server_name": "c2.example.net"}}
  ])");
  const auto inv = load_inventory(d.file("list.json"));
  ASSERT_EQ(inv.targets.size(), 2u);
  EXPECT_EQ(inv.targets[0].vars.at("api_ssl_port"), "8729");
  EXPECT_EQ(inv.targets[0].vars.at("legacy"), "false");
  EXPECT_EQ(inv.targets[0].groups, (std::vector<std::string>{"all", "core"}));
  EXPECT_EQ(inv.targets[1].name, "192.0.2.2");
  EXPECT_EQ(inv.targets[1].vars.at("server_name"), "c2.example.net");

  d.write("hosts.json", R"({"vars": {"ca_file": "/etc/ca.pem"},
    "hosts": {"rtr-a": {"host": "192.0.2.10"}, "rtr-b": {"ca_file": "/etc/other.pem"}}})");
  const auto h = load_inventory(d.file("hosts.json"));
  EXPECT_EQ(target(h, "rtr-a").host, "192.0.2.10");
  EXPECT_EQ(target(h, "rtr-a").vars.at("ca_file"), "/etc/ca.pem");
  EXPECT_EQ(target(h, "rtr-b").host, "rtr-b") << "keyed with no host: the name is the host";
  EXPECT_EQ(target(h, "rtr-b").vars.at("ca_file"), "/etc/other.pem");
}

TEST(InventoryJson, BadEntriesAreLocated) {
  TempDir d;
  d.write("bad.json", "[\n  {\"name\": \"a\"},\n  {\"host\": \"192.0.2.1\", \"ports\": [1, 2]}\n]");
  const auto p = problems_of(d.file("bad.json"));
  EXPECT_NE(p.find("bad.json:2:3: "), std::string::npos) << p;
  EXPECT_NE(p.find("target without \"host\""), std::string::npos) << p;
  EXPECT_NE(p.find("bad.json:3:25: "), std::string::npos) << p;
  EXPECT_NE(p.find("a variable's value is a string, a number or true/false, found a list"),
            std::string::npos)
      << p;
  d.write("shape.json", R"({"routers": []})");
  EXPECT_NE(problems_of(d.file("shape.json")).find("unknown key"), std::string::npos);
}

TEST(InventoryIni, GroupsChildrenAndVarsWithAnsiblePrecedence) {
  TempDir d;
  d.write("hosts",
          "# Ansible INI\n"
          "lone ansible_host=203.0.113.5\n"
          "[core]\n"
          "core-rtr-1 ansible_host=192.0.2.1 server_name=core-rtr-1.example.net\n"
          "core-rtr-2 ansible_host=192.0.2.2 description=\"core router two\"  # trailing comment\n"
          "\n"
          "[edge]\n"
          "edge-rtr-1 ansible_host=198.51.100.1 api_ssl_port=9729\n"
          "core-rtr-2\n"
          "\n"
          "[routers:children]\n"
          "core\n"
          "edge\n"
          "[all:vars]\n"
          "api_ssl_port=8729\n"
          "ca_file=/etc/ssl/ca.pem\n"
          "[routers:vars]\n"
          "ca_file=/etc/ssl/routers.pem\n"
          "[edge:vars]\n"
          "ca_file = '/etc/ssl/edge.pem'\n");
  const auto inv = load_inventory(d.file("hosts"));
  EXPECT_EQ(inv.format, "ini");
  ASSERT_EQ(inv.targets.size(), 4u);
  EXPECT_EQ(inv.targets[0].name, "lone");
  EXPECT_EQ(inv.targets[0].groups, (std::vector<std::string>{"all", "ungrouped"}));
  EXPECT_EQ(inv.targets[0].vars.at("ca_file"), "/etc/ssl/ca.pem");
  const auto& c1 = target(inv, "core-rtr-1");
  EXPECT_EQ(c1.host, "192.0.2.1");
  EXPECT_EQ(c1.vars.at("server_name"), "core-rtr-1.example.net");
  EXPECT_EQ(c1.vars.at("ca_file"), "/etc/ssl/routers.pem") << "parent group over all";
  EXPECT_EQ(c1.vars.at("api_ssl_port"), "8729");
  EXPECT_EQ(c1.groups, (std::vector<std::string>{"all", "core", "routers"}));
  const auto& c2 = target(inv, "core-rtr-2");
  EXPECT_EQ(c2.vars.at("description"), "core router two");
  EXPECT_EQ(c2.vars.at("ca_file"), "/etc/ssl/edge.pem") << "child group (edge) over its parent";
  EXPECT_EQ(c2.groups, (std::vector<std::string>{"all", "core", "edge", "routers"}));
  EXPECT_EQ(c2.at.line, 5) << "first mention";
  const auto& e1 = target(inv, "edge-rtr-1");
  EXPECT_EQ(e1.vars.at("api_ssl_port"), "9729") << "host vars over group vars";
}

TEST(InventoryIni, BadLinesAreLocatedWithWhatToWrite) {
  TempDir d;
  d.write("bad.ini",
          "[core]\n"
          "rtr1 ansible_host=192.0.2.1 server_name\n"
          "rtr[1:4].example.net\n"
          "[core:vars]\n"
          "just-a-word\n"
          "[core:hosts]\n"
          "[edge\n"
          "rtr2 description=\"open\n");
  const auto p = problems_of(d.file("bad.ini"));
  EXPECT_NE(p.find("bad.ini:2:29: expected key=value after the host name, found \"server_name\""),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("bad.ini:3:1: host ranges"), std::string::npos) << p;
  EXPECT_NE(p.find("bad.ini:5:1: a [core:vars] line is key=value"), std::string::npos) << p;
  EXPECT_NE(p.find("bad.ini:6:7: unknown section kind \":hosts\"; write [core], [core:vars] or "
                   "[core:children]"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("bad.ini:7:1: a section header ends with ']'"), std::string::npos) << p;
  EXPECT_NE(p.find("bad.ini:8:1: a quote is never closed"), std::string::npos) << p;

  d.write("loop.ini", "[a:children]\nb\n[b:children]\na\n[a]\nrtr1\n");
  EXPECT_NE(problems_of(d.file("loop.ini")).find("is its own ancestor"), std::string::npos);
}

TEST(InventoryYaml, AnsibleYamlGroupsAndVars) {
  TempDir d;
  d.write("hosts.yml",
          "all:\n"
          "  vars:\n"
          "    ca_file: /etc/ssl/ca.pem\n"
          "    api_ssl_port: 8729\n"
          "  hosts:\n"
          "    lone:\n"
          "  children:\n"
          "    core:\n"
          "      vars:\n"
          "        ca_file: /etc/ssl/core.pem\n"
          "      hosts:\n"
          "        core-rtr-1:\n"
          "          ansible_host: 192.0.2.1\n"
          "          server_name: core-rtr-1.example.net\n"
          "          legacy: true\n"
          "    edge:\n"
          "      hosts:\n"
          "        edge-rtr-1: {ansible_host: 198.51.100.1, api_ssl_port: 9729}\n"
          "lab:\n"
          "  hosts:\n"
          "    core-rtr-1:\n");
  const auto inv = load_inventory(d.file("hosts.yml"));
  EXPECT_EQ(inv.format, "yaml");
  ASSERT_EQ(inv.targets.size(), 3u);
  EXPECT_EQ(inv.targets[0].name, "lone");
  EXPECT_EQ(inv.targets[0].host, "lone");
  const auto& c1 = target(inv, "core-rtr-1");
  EXPECT_EQ(c1.host, "192.0.2.1");
  EXPECT_EQ(c1.vars.at("ca_file"), "/etc/ssl/core.pem");
  EXPECT_EQ(c1.vars.at("legacy"), "true");
  EXPECT_EQ(c1.vars.at("api_ssl_port"), "8729");
  EXPECT_EQ(c1.groups, (std::vector<std::string>{"all", "core", "lab"}));
  EXPECT_EQ(c1.at.line, 12);
  EXPECT_EQ(c1.at.column, 9);
  EXPECT_EQ(target(inv, "edge-rtr-1").vars.at("api_ssl_port"), "9729");
}

TEST(InventoryYaml, BadStructureIsLocated) {
  TempDir d;
  d.write("bad.yml",
          "all:\n"
          "  host:\n"
          "    rtr1:\n"
          "  children:\n"
          "    core:\n"
          "      hosts:\n"
          "        rtr2:\n"
          "          ports: [1, 2]\n");
  const auto p = problems_of(d.file("bad.yml"));
  EXPECT_NE(p.find("bad.yml:2:3: unknown key \"host\" in group all; did you mean \"hosts\"?"),
            std::string::npos)
      << p;
  EXPECT_NE(p.find("bad.yml:8:18: variable ports must be a string"), std::string::npos) << p;
  d.write("syntax.yml", "all:\n  hosts: [unclosed\n");
  EXPECT_NE(problems_of(d.file("syntax.yml")).find("syntax.yml:"), std::string::npos);
  EXPECT_NE(problems_of(d.file("syntax.yml")).find("YAML syntax"), std::string::npos);
}

TEST(Inventory, AnEmptyOrMissingFileSaysSo) {
  TempDir d;
  d.write("empty.ini", "# nothing yet\n");
  EXPECT_NE(problems_of(d.file("empty.ini")).find("lists no target"), std::string::npos);
  EXPECT_NE(problems_of(d.file("nope.csv")).find("cannot read the inventory"), std::string::npos);
}

// Found by fuzzing: a value in another encoding (here Latin-1 "Köln") went
// into the reports' JSON writer, which threw. Every format refuses it, at
// the line and column of its first bad byte.
TEST(Inventory, TextThatIsNotUtf8IsRefusedWhereItStarts) {
  TempDir d;
  d.write("sites.csv", "name,host,site\nr1,192.0.2.1,Berlin\nr2,192.0.2.2,K\xF6ln\n");
  EXPECT_NE(problems_of(d.file("sites.csv")).find("sites.csv:3:15: the inventory is not UTF-8"),
            std::string::npos)
      << problems_of(d.file("sites.csv"));
  d.write("hosts", "[core]\nr1 ansible_host=192.0.2.1 site=K\xF6ln\n");
  EXPECT_NE(
      problems_of(d.file("hosts")).find("hosts:2:33: the inventory is not UTF-8 here (byte 0xF6)"),
      std::string::npos)
      << problems_of(d.file("hosts"));
  d.write("fleet.yml", "all:\n  hosts:\n    r1: {ansible_host: 192.0.2.1, site: \"\xFF\"}\n");
  EXPECT_NE(problems_of(d.file("fleet.yml")).find("fleet.yml:3:"), std::string::npos);
  // Found by fuzzing (campaign 3): UTF-8 text that the YAML parser read into
  // bytes that are not (after a NUL in a key); the target's fingerprint then
  // threw from the JSON writer. Refused at the target, naming the variable.
  // fuzz/corpus/fleet_inventory/regression-yaml-nul-key, without its format byte:
  const char kNulKey[] =
      "aln:\n  vars:\n    ca\x08"
      "\x00"
      "_file: /etc/sslHour-ca.pem\n  children:\n    core:\n      hosts:\n  hosts:\n        "
      "edge-rtr-1: { ant8.51.100.1, server_name: edgtr.example.net }\n";
  d.write("nul.yml", std::string(kNulKey, sizeof kNulKey - 1));
  const auto nul = problems_of(d.file("nul.yml"));
  EXPECT_NE(nul.find("nul.yml:"), std::string::npos) << nul;
  EXPECT_NE(nul.find("is not UTF-8 text as read"), std::string::npos) << nul;
  // UTF-8 itself is fine, byte order mark or not.
  d.write("ok.csv", "\xEF\xBB\xBFname,host,site\nr1,192.0.2.1,K\xC3\xB6ln\n");
  EXPECT_EQ(target(load_inventory(d.file("ok.csv")), "r1").vars.at("site"), "K\xC3\xB6ln");
}

}  // namespace
}  // namespace vantage::fleet
