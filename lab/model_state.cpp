// The menus that show the router's state from its config: /system/clock,
// /system/package/update, /ip/firewall/filter, /ip/firewall/address-list
// and /certificate (the menu table is in model.cpp).
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "lab/model.hpp"

namespace vantage::lab {

namespace {

const char* yes_no(bool b, bool v7) {
  if (v7) return b ? "true" : "false";
  return b ? "yes" : "no";
}

std::tm utc(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                               "jul", "aug", "sep", "oct", "nov", "dec"};

// 7.10 changed RouterOS's dates from "nov/25/2026" to ISO "2026-11-25".
bool iso_dates(const std::string& version) {
  return !version_less(version, "7.10");
}

std::string format_date(const std::tm& tm, bool iso) {
  if (iso) return fmt::format("{:%Y-%m-%d}", tm);
  return fmt::format("{}/{:02}/{}", kMonths[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
}

}  // namespace

std::string RouterModel::format_time(std::chrono::system_clock::time_point t) const {
  const std::tm tm = utc(t);
  return format_date(tm, iso_dates(cfg_.version)) + fmt::format(" {:%H:%M:%S}", tm);
}

void RouterModel::set_served_certificate(const std::string& service, ServedCert cert) {
  std::lock_guard lock(mu_);
  served_certs_[service] = std::move(cert);
}

std::vector<Row> RouterModel::clock_rows() const {
  const bool v7 = !version_less(cfg_.version, "7");
  const std::tm tm = utc(now());
  return {{{"time", fmt::format("{:%H:%M:%S}", tm)},
           {"date", format_date(tm, iso_dates(cfg_.version))},
           {"time-zone-autodetect", yes_no(false, v7)},
           {"time-zone-name", "manual"},
           {"gmt-offset", "+00:00"},
           {"dst-active", yes_no(false, v7)}}};
}

std::vector<Row> RouterModel::package_update_rows() const {
  Row r{{"channel", cfg_.system.channel}, {"installed-version", cfg_.version}};
  // Before a check-for-updates RouterOS shows no latest-version and no status.
  if (!cfg_.system.latest_version.empty()) {
    r.push_back({"latest-version", cfg_.system.latest_version});
    r.push_back({"status", version_less(cfg_.version, cfg_.system.latest_version)
                               ? "New version is available"
                               : "System is already up to date"});
  }
  return {r};
}

std::vector<Row> RouterModel::filter_rows() const {
  const bool v7 = !version_less(cfg_.version, "7");
  std::vector<Row> rows;
  int id = 1;
  for (const auto& f : cfg_.filter) {
    Row r{{".id", fmt::format("*{:X}", id++)}, {"chain", f.chain}, {"action", f.action}};
    // As RouterOS prints: match attributes only when set.
    const std::pair<const char*, const std::string*> opt[] = {
        {"protocol", &f.protocol},
        {"dst-port", &f.dst_port},
        {"src-address", &f.src_address},
        {"src-address-list", &f.src_address_list},
        {"reject-with", &f.reject_with}};
    for (const auto& [k, v] : opt)
      if (!v->empty()) r.push_back({k, *v});
    r.push_back({"log", yes_no(f.log, v7)});
    r.push_back({"log-prefix", f.log_prefix});
    if (!f.comment.empty()) r.push_back({"comment", f.comment});
    r.push_back({"bytes", "0"});
    r.push_back({"packets", "0"});
    r.push_back({"invalid", yes_no(false, v7)});
    r.push_back({"dynamic", yes_no(false, v7)});
    r.push_back({"disabled", yes_no(f.disabled, v7)});
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> RouterModel::address_list_rows() const {
  const bool v7 = !version_less(cfg_.version, "7");
  std::vector<Row> rows;
  int id = 1;
  for (const auto& a : cfg_.address_list) {
    Row r{{".id", fmt::format("*{:X}", id++)}, {"list", a.list}, {"address", a.address.text()}};
    if (!a.comment.empty()) r.push_back({"comment", a.comment});
    r.push_back({"dynamic", yes_no(false, v7)});
    r.push_back({"disabled", yes_no(a.disabled, v7)});
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<Row> RouterModel::certificate_rows() const {
  const bool v7 = !version_less(cfg_.version, "7");
  struct Rec {
    std::string name, cn, fp, after, key_type;
  };
  std::vector<Rec> recs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [svc, c] : served_certs_)
      recs.push_back(
          {certificate_name(svc), c.common_name, c.fingerprint, c.invalid_after, c.key_type});
  }
  // A config record replaces the served one of the same name, or is one more.
  for (const auto& c : cfg_.certificates) {
    Rec rec{c.name, c.common_name, c.fingerprint, c.invalid_after, "rsa"};
    auto same = std::find_if(recs.begin(), recs.end(), [&](const Rec& r) { return r.name == c.name; });
    if (same != recs.end()) {
      if (rec.cn.empty()) rec.cn = same->cn;
      if (rec.after.empty()) rec.after = same->after;
      if (rec.fp.empty()) rec.fp = same->fp;
      *same = rec;
    } else {
      recs.push_back(rec);
    }
  }
  std::vector<Row> rows;
  int id = 1;
  for (const auto& r : recs) {
    Row row{{".id", fmt::format("*{:X}", id++)}, {"name", r.name}};
    if (!r.cn.empty()) row.push_back({"common-name", r.cn});
    row.push_back({"key-type", r.key_type});
    if (!r.fp.empty()) row.push_back({"fingerprint", r.fp});
    if (!r.after.empty()) row.push_back({"invalid-after", r.after});
    row.push_back({"private-key", yes_no(true, v7)});
    row.push_back({"trusted", yes_no(true, v7)});
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace vantage::lab
