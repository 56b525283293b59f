// CSV (RFC 4180) with a header row: "name" and "host" are the target's,
// "groups" lists its groups (separated by spaces, ';' or '|', for --limit),
// every other column is a variable of that name. A blank cell leaves the
// variable unset, so the scenario's default applies.
#include <algorithm>

#include "fleet/inventory.hpp"

namespace vantage::fleet {

namespace {

struct Field {
  std::string text;
  int line = 0, column = 0;
  bool quoted = false;
};
struct Row {
  std::vector<Field> fields;
  int line = 0;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Splits the text into rows of fields, with each field's position. A quote
// left open is a located problem; a stray quote inside an unquoted field too.
std::vector<Row> split(const std::string& file, const std::string& text,
                       std::vector<Diagnostic>& problems) {
  std::vector<Row> rows;
  std::size_t i = 0;
  int line = 1, col = 1;
  while (i < text.size()) {
    Row row;
    row.line = line;
    bool end_of_row = false;
    while (!end_of_row) {
      Field f;
      f.line = line;
      f.column = col;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i, ++col;
      if (i < text.size() && text[i] == '"') {
        f.quoted = true;
        const Location open{file, line, col};
        ++i, ++col;
        bool closed = false;
        while (i < text.size()) {
          const char c = text[i];
          if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
            f.text += '"';
            i += 2, col += 2;
          } else if (c == '"') {
            ++i, ++col;
            closed = true;
            break;
          } else {
            f.text += c;
            ++i;
            if (c == '\n')
              ++line, col = 1;
            else
              ++col;
          }
        }
        if (!closed) {
          problems.push_back(
              problem(open,
                      "this quoted value is never closed; end it with '\"' (write \"\" for "
                      "a quote inside it)"));
          return rows;
        }
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i, ++col;
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          problems.push_back(problem({file, line, col},
                                     "text after a closing quote; put the whole value inside the "
                                     "quotes"));
          while (i < text.size() && text[i] != ',' && text[i] != '\n') ++i, ++col;
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            problems.push_back(problem({file, line, col},
                                       "a quote inside an unquoted value; quote the whole value "
                                       "and double the quote: \"say \"\"hi\"\"\""));
          f.text += text[i];
          ++i, ++col;
        }
        f.text = trim(f.text);
      }
      row.fields.push_back(std::move(f));
      if (i < text.size() && text[i] == ',') {
        ++i, ++col;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line, col = 1;
      end_of_row = true;
    }
    const bool blank =
        row.fields.size() == 1 && !row.fields[0].quoted && row.fields[0].text.empty();
    const bool comment =
        !row.fields.empty() && !row.fields[0].quoted && row.fields[0].text.rfind("#", 0) == 0;
    if (!blank && !comment) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

Inventory parse_csv_inventory(const std::string& file, const std::string& text) {
  Inventory inv;
  inv.file = file;
  inv.format = "csv";
  std::vector<Diagnostic> problems;
  auto rows = split(file, text, problems);
  if (rows.empty()) {
    if (problems.empty())
      problems.push_back(problem({file, 1, 1},
                                 "empty CSV inventory; write a header row first, e.g. "
                                 "name,host,server_name"));
    throw ConfigError(problems);
  }
  const Row& header = rows.front();
  std::vector<std::string> cols;
  int name_col = -1, host_col = -1, groups_col = -1;
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const auto& f = header.fields[c];
    const Location at{file, f.line, f.column};
    if (f.text.empty())
      problems.push_back(problem(at, "empty column name in the header; name every column"));
    else if (std::find(cols.begin(), cols.end(), f.text) != cols.end())
      problems.push_back(problem(at, "column \"" + f.text + "\" appears twice in the header"));
    if (f.text == "name") name_col = static_cast<int>(c);
    if (f.text == "host") host_col = static_cast<int>(c);
    if (f.text == "groups") groups_col = static_cast<int>(c);
    cols.push_back(f.text);
  }
  if (host_col < 0) {
    const bool semicolons =
        header.fields.size() == 1 && header.fields[0].text.find(';') != std::string::npos;
    problems.push_back(problem({file, header.line, 1},
                               semicolons ? "the header row is one column with ';' in it; "
                                            "separate columns with ',': name,host,server_name"
                                          : "the header row has no \"host\" column; the first "
                                            "row names the columns, e.g. name,host,server_name"));
  }
  if (!problems.empty()) throw ConfigError(problems);

  for (std::size_t r = 1; r < rows.size(); ++r) {
    const Row& row = rows[r];
    if (row.fields.size() != cols.size()) {
      const auto& last = row.fields.back();
      problems.push_back(
          problem({file, row.line,
                   row.fields.size() > cols.size() ? row.fields[cols.size()].column : last.column},
                  "this row has " + std::to_string(row.fields.size()) + " fields, the header " +
                      std::to_string(cols.size()) +
                      "; write one value per column (an empty one for none) and quote a value that "
                      "holds a comma: \"a,b\""));
      continue;
    }
    InventoryTarget t;
    t.at = {file, row.line, 1};
    t.host = row.fields[host_col].text;
    t.name = name_col >= 0 ? row.fields[name_col].text : std::string();
    if (t.name.empty()) t.name = t.host;
    if (t.host.empty()) {
      problems.push_back(problem({file, row.line, row.fields[host_col].column},
                                 "empty host; write the target's IP address or DNS name"));
      continue;
    }
    for (std::size_t c = 0; c < cols.size(); ++c) {
      const auto& v = row.fields[c].text;
      if (static_cast<int>(c) == name_col || static_cast<int>(c) == host_col) continue;
      if (static_cast<int>(c) == groups_col) {
        std::string g;
        for (char ch : v + " ") {
          if (ch == ' ' || ch == ';' || ch == '|' || ch == '\t') {
            if (!g.empty()) t.groups.push_back(g);
            g.clear();
          } else {
            g += ch;
          }
        }
        continue;
      }
      if (!v.empty()) t.vars[cols[c]] = v;
    }
    for (const auto& g : t.groups) inv.groups.push_back(g);
    inv.targets.push_back(std::move(t));
  }
  finish_inventory(inv, std::move(problems));
  return inv;
}

}  // namespace vantage::fleet
