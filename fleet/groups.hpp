#pragma once
// Ansible's group model, shared by the INI and YAML readers: hosts in groups,
// groups in groups ("children"), vars on both. Precedence as Ansible's: the
// group "all", then every other group of the host by depth (a child after
// its parents; same depth by name), then the host's own vars. A host's
// address is its ansible_host, else its name.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fleet/inventory.hpp"

namespace vantage::fleet {

class GroupTree {
 public:
  explicit GroupTree(std::string file) : file_(std::move(file)) {}
  // Mentions create the group (as Ansible does); a group never made a child
  // of another is a child of "all".
  void group(const std::string& name, const Location& at);
  void host(const std::string& group, const std::string& name, const VarList& vars,
            const Location& at);
  void group_vars(const std::string& group, const VarList& vars, const Location& at);
  void child(const std::string& parent, const std::string& child, const Location& at);

  // The targets in order of first mention. Problems (a cycle of children)
  // join `problems`; finish_inventory then throws them all.
  Inventory finish(const std::string& format, std::vector<Diagnostic> problems) const;

 private:
  struct Group {
    Location at;
    std::map<std::string, std::string> vars;
    std::vector<std::string> children;
    std::set<std::string> parents;
  };
  struct Host {
    Location at;
    std::map<std::string, std::string> vars;
    std::set<std::string> groups;  // direct
  };
  std::string file_;
  std::map<std::string, Group> groups_;
  std::map<std::string, Host> hosts_;
  std::vector<std::string> order_;                             // hosts by first mention
  std::vector<std::pair<std::string, Location>> child_edges_;  // for cycle reports
};

// A group name Ansible accepts: letters, digits, '_' and '-'.
bool valid_group_name(const std::string& name);

}  // namespace vantage::fleet
