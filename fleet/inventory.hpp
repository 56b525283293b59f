#pragma once
// A fleet's targets, read from an inventory file: CSV with a header row, JSON,
// or an Ansible inventory (INI or YAML). Each target has a name, a host and
// its own variables, which feed the scenario's ${...} for that target
// (scenarios::LoadOptions::target). Every problem in the file is reported at
// once, located (file:line:column), with what to write instead.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace vantage::fleet {

struct Location {
  std::string file;
  int line = 0, column = 0;  // 1-based; 0 when unknown
  std::string str() const;   // "hosts.ini:4:1"
};

// Variables as written, in order; later entries win.
using VarList = std::vector<std::pair<std::string, std::string>>;

struct InventoryTarget {
  std::string name;  // the report's target name; unique in the inventory
  std::string host;  // address or DNS name
  std::map<std::string, std::string> vars;
  std::vector<std::string> groups;  // every group it is in, parents included; sorted
  Location at;                      // where it is defined (first mention)
};

struct Inventory {
  std::string file;
  std::string format;                    // "csv" | "json" | "ini" | "yaml"
  std::vector<InventoryTarget> targets;  // in file order
  std::vector<std::string> groups;       // every group named in the file, sorted
};

// By extension: .csv, .json, .yml/.yaml; anything else is an Ansible INI
// inventory (Ansible's own "hosts" has none). Throws ConfigError (exit 65)
// with every problem, or SystemError when the file cannot be read.
Inventory load_inventory(const std::string& path);
Inventory parse_inventory(const std::string& file, const std::string& text);

// One parser per format (csv_inventory.cpp, json_inventory.cpp,
// ini_inventory.cpp, yaml_inventory.cpp); each throws ConfigError.
Inventory parse_csv_inventory(const std::string& file, const std::string& text);
Inventory parse_json_inventory(const std::string& file, const std::string& text);
Inventory parse_ini_inventory(const std::string& file, const std::string& text);
Inventory parse_yaml_inventory(const std::string& file, const std::string& text);

// A problem at a location, as every parser reports it.
Diagnostic problem(const Location& at, std::string message);

// Checks what every format shares (unique names, a host, names a report can
// carry) and throws ConfigError with `problems` and its own, if any.
void finish_inventory(Inventory& inv, std::vector<Diagnostic> problems);

}  // namespace vantage::fleet
