#include "wire/params.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"

namespace vantage::wire {

namespace {

// Reads a plain non-negative decimal ("60", "1.5") and the rest of the text.
bool read_number(const std::string& text, double* value, std::string* rest) {
  std::size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  if (i == 0 || text.find('.') != text.rfind('.')) return false;
  char* end = nullptr;
  const std::string num = text.substr(0, i);
  *value = std::strtod(num.c_str(), &end);
  if (end != num.c_str() + num.size() || !std::isfinite(*value)) return false;
  *rest = text.substr(i);
  return true;
}

}  // namespace

Nanos parse_duration(const std::string& flag, const std::string& text, Nanos max) {
  const std::string hint =
      "--" + flag + ": '" + text + "' is not a duration; write e.g. 60ms, 1.5s or 250us";
  double v = 0;
  std::string unit;
  if (!read_number(text, &v, &unit)) throw UsageError(hint);
  double ns_per_unit = 0;
  if (unit == "h")
    ns_per_unit = 3600e9;
  else if (unit == "m")
    ns_per_unit = 60e9;
  else if (unit == "s")
    ns_per_unit = 1e9;
  else if (unit == "ms")
    ns_per_unit = 1e6;
  else if (unit == "us")
    ns_per_unit = 1e3;
  else if (unit == "ns")
    ns_per_unit = 1;
  else if (unit.empty() && v == 0)
    ns_per_unit = 1;
  else if (unit.empty())
    throw UsageError(hint + " (a unit is required)");
  else
    throw UsageError(hint + " (units: h, m, s, ms, us, ns)");
  const double ns = v * ns_per_unit;
  if (ns > static_cast<double>(max.count()))
    throw UsageError("--" + flag + ": " + text + " is longer than " + format_duration(max));
  return Nanos(static_cast<std::int64_t>(std::llround(ns)));
}

double parse_loss(const std::string& flag, const std::string& text) {
  double v = 0;
  std::string rest;
  if (!read_number(text, &v, &rest) || (rest != "%" && !(rest.empty() && v == 0)))
    throw UsageError("--" + flag + ": '" + text +
                     "' is not a loss rate; write a percentage, e.g. 2% or 0.5%");
  if (v > 100) throw UsageError("--" + flag + ": " + text + " is more than 100%");
  return v / 100;
}

std::string format_duration(Nanos d) {
  const auto ns = d.count();
  auto fmt = [](double v, const char* unit) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s + unit;
  };
  if (ns == 0) return "0ms";
  if (ns % 1000000 == 0 && ns < 10000000000) return std::to_string(ns / 1000000) + "ms";
  if (ns >= 1000000000) return fmt(static_cast<double>(ns) / 1e9, "s");
  if (ns >= 1000000) return fmt(static_cast<double>(ns) / 1e6, "ms");
  if (ns % 1000 == 0) return std::to_string(ns / 1000) + "us";
  return std::to_string(ns) + "ns";
}

std::string Impairment::describe() const {
  std::string loss_text = std::to_string(loss * 100);
  loss_text.erase(loss_text.find_last_not_of('0') + 1);
  if (loss_text.back() == '.') loss_text.pop_back();
  return "delay " + format_duration(delay) + " jitter " + format_duration(jitter) + " loss " +
         loss_text + "%";
}

}  // namespace vantage::wire
