#include "lab/query.hpp"

#include <charconv>
#include <optional>
#include <string_view>

namespace vantage::lab {

namespace {

const std::string* find(const Row& row, std::string_view name) {
  for (const auto& [k, v] : row)
    if (k == name) return &v;
  return nullptr;
}

std::optional<long long> as_number(std::string_view s) {
  long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

int compare(std::string_view a, std::string_view b) {
  auto na = as_number(a), nb = as_number(b);
  if (na && nb) return *na < *nb ? -1 : (*na > *nb ? 1 : 0);
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

bool pop(std::vector<bool>& st) {
  if (st.empty()) return false;  // an underflow reads as false
  bool v = st.back();
  st.pop_back();
  return v;
}

}  // namespace

bool query_matches(const std::vector<std::string>& query_words, const Row& row) {
  std::vector<bool> st;
  for (const auto& word : query_words) {
    std::string_view q(word);
    if (q.empty() || q[0] != '?') continue;
    q.remove_prefix(1);
    if (!q.empty() && q[0] == '#') {
      for (char op : q.substr(1)) {
        if (op == '!') {
          st.push_back(!pop(st));
        } else if (op == '&' || op == '|') {
          bool b = pop(st), a = pop(st);
          st.push_back(op == '&' ? (a && b) : (a || b));
        } else if (op == '.') {
          st.push_back(st.empty() ? false : static_cast<bool>(st.back()));
        } else if (op >= '0' && op <= '9') {
          std::size_t i = static_cast<std::size_t>(op - '0');
          st.push_back(i < st.size() ? static_cast<bool>(st[i]) : false);
        }
      }
      continue;
    }
    char cmp = '=';
    if (!q.empty() && (q[0] == '<' || q[0] == '>' || q[0] == '=' || q[0] == '-')) {
      cmp = q[0];
      q.remove_prefix(1);
    }
    auto eq = q.find('=');
    std::string_view name = q.substr(0, eq);
    const std::string* have = find(row, name);
    if (cmp == '-') {
      st.push_back(have == nullptr);
    } else if (eq == std::string_view::npos) {
      st.push_back(have != nullptr);  // "?name": has the property
    } else {
      std::string_view want = q.substr(eq + 1);
      if (!have) {
        st.push_back(false);
      } else if (cmp == '<') {
        st.push_back(compare(*have, want) < 0);
      } else if (cmp == '>') {
        st.push_back(compare(*have, want) > 0);
      } else {
        st.push_back(*have == want);
      }
    }
  }
  for (bool v : st)
    if (!v) return false;
  return true;
}

}  // namespace vantage::lab
