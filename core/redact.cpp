#include "core/redact.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vantage {

std::string base64_encode(std::string_view in) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(in[k]));
  };
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += {kTable[v >> 18], kTable[(v >> 12) & 63], kTable[(v >> 6) & 63], kTable[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = byte(i) << 16;
    out += {kTable[v >> 18], kTable[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = byte(i) << 16 | byte(i + 1) << 8;
    out += {kTable[v >> 18], kTable[(v >> 12) & 63], kTable[(v >> 6) & 63], '='};
  }
  return out;
}

std::string percent_encode(std::string_view in, bool plus_for_space, bool lower_hex) {
  std::string out;
  for (char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~')
      out += c;
    else if (c == ' ' && plus_for_space)
      out += '+';
    else
      out += lower_hex ? fmt::format("%{:02x}", u) : fmt::format("%{:02X}", u);
  }
  return out;
}

void Redactor::add_form(std::string form) {
  if (form.empty() || std::find(forms_.begin(), forms_.end(), form) != forms_.end()) return;
  forms_.push_back(std::move(form));
  // Longest first: a form that contains another is masked whole.
  std::stable_sort(forms_.begin(), forms_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void Redactor::add_password(std::string_view password) {
  if (password.empty()) return;
  const std::string p(password);
  add_form(p);
  // Inside a JSON string (a REST error body echoing the request).
  const std::string j =
      nlohmann::json(p).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  add_form(j.substr(1, j.size() - 2));
  const std::string b = base64_encode(p);
  add_form(b);
  add_form(b.substr(0, b.find('=')));  // unpadded
  for (bool plus : {false, true})
    for (bool lower : {false, true}) add_form(percent_encode(p, plus, lower));
}

void Redactor::add_credentials(std::string_view user, std::string_view password) {
  if (password.empty()) return;
  add_password(password);
  const std::string pair = std::string(user) + ":" + std::string(password);
  const std::string b = base64_encode(pair);
  add_form(b);
  add_form(b.substr(0, b.find('=')));
  for (bool plus : {false, true}) add_form(percent_encode(pair, plus));
}

std::string Redactor::redact(std::string_view text, std::size_t max_len) const {
  const bool cut = text.size() > max_len;
  const std::string_view kept = cut ? text.substr(0, max_len) : text;
  // Mark every byte covered by a form in the text as received, then write
  // each marked run as one mask: masking in place could let a short form
  // match inside an earlier mask.
  std::vector<bool> hidden(kept.size(), false);
  auto hide = [&](std::size_t from, std::size_t n) {
    std::fill(hidden.begin() + static_cast<std::ptrdiff_t>(from),
              hidden.begin() + static_cast<std::ptrdiff_t>(from + n), true);
  };
  for (const auto& f : forms_) {
    for (std::size_t pos = kept.find(f); pos != std::string_view::npos; pos = kept.find(f, pos + 1))
      hide(pos, f.size());
    if (!cut) continue;
    // A prefix of the form that the cut left at the end.
    for (std::size_t k = std::min(f.size() - 1, kept.size()); k > 0; --k) {
      if (kept.substr(kept.size() - k) == std::string_view(f).substr(0, k)) {
        hide(kept.size() - k, k);
        break;
      }
    }
  }
  std::string out;
  out.reserve(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (!hidden[i]) {
      out += kept[i];
    } else if (i == 0 || !hidden[i - 1]) {
      out += kMask;
    }
  }
  if (cut) out += fmt::format("...({} bytes)", text.size());
  return out;
}

}  // namespace vantage
