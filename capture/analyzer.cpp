#include "capture/analyzer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <list>
#include <map>
#include <unordered_map>

#include "capture/findings.hpp"
#include "capture/live_flow.hpp"
#include "core/plural.hpp"

namespace vantage::capture {
namespace {

struct FlowKey {
  IpAddr a, b;
  std::uint16_t pa = 0, pb = 0;
  bool operator==(const FlowKey&) const = default;
};

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const noexcept {
    const std::hash<IpAddr> h;
    return h(k.a) * 31 + h(k.b) + (std::size_t{k.pa} << 16 | k.pb) * 0x9E3779B97F4A7C15ULL;
  }
};

FlowKey key_of(const TcpSegment& s) {
  const bool lt = std::memcmp(s.src.ip.b.data(), s.dst.ip.b.data(), 16) < 0 ||
                  (s.src.ip == s.dst.ip && s.src.port < s.dst.port);
  if (lt) return {s.src.ip, s.dst.ip, s.src.port, s.dst.port};
  return {s.dst.ip, s.src.ip, s.dst.port, s.src.port};
}

struct FlowState {
  FlowRecord rec;
  std::unique_ptr<LiveFlow> live;
  std::size_t buffered = 0;             // bytes its two halves hold, counted in the total
  std::list<FlowKey>::iterator recent;  // its place in Impl::recent
  bool counted_open = false;            // in Impl::open_connections
};

bool contains(const std::vector<std::uint16_t>& v, std::uint16_t p) {
  return std::find(v.begin(), v.end(), p) != v.end();
}

}  // namespace

struct Analyzer::Impl {
  AnalyzerOptions opts;
  AnalysisResult res;
  // Tracked flows (open, or finished and still catching stray packets), and
  // their keys from most to least recently active. A flow leaves both when
  // it is retired: judged, and its record kept (or counted) for the report.
  std::unordered_map<FlowKey, FlowState, FlowKeyHash> table;
  std::list<FlowKey> recent;
  std::size_t buffered_total = 0;
  std::uint64_t open_connections = 0;  // see Analyzer::open_connections
  bool cap_reported = false;
  std::uint64_t unreadable_unlisted = 0;
  int dlt = -1;
  std::uint64_t number = 0;  // last packet number in the current source
  bool unsupported_reported = false;
  // Evidence the input did not give: frames that may have carried TCP but
  // could not be decoded, per source and link type.
  std::map<std::pair<std::uint32_t, std::string>, std::uint64_t> unsupported;  // -> packets
  std::uint64_t undecoded = 0;
  PacketRef first_undecoded;
  std::string first_undecoded_what;

  PacketRef here() const {
    return {static_cast<std::uint32_t>(res.sources.empty() ? 0 : res.sources.size() - 1), number};
  }

  void problem(PacketRef at, std::string what) {
    ++res.problems_total;
    if (res.problems.size() < AnalysisResult::kMaxProblems)
      res.problems.push_back({at, std::move(what)});
  }

  bool server_port(std::uint16_t p) const {
    return contains(opts.api_ports, p) || contains(opts.tls_ports, p);
  }

  FlowState& new_flow(const FlowKey& key, const TcpSegment& seg) {
    while (table.size() >= std::max<std::size_t>(opts.max_tracked_flows, 1))
      retire(std::prev(recent.end()), "tracked flows");
    FlowState f;
    f.rec.id = ++res.flows_total;
    const bool syn = seg.flags & kSyn, ack = seg.flags & kAck;
    bool src_is_client;
    if (syn) {
      src_is_client = !ack;
      f.rec.roles_known = true;
    } else if (server_port(seg.dst.port) != server_port(seg.src.port)) {
      src_is_client = server_port(seg.dst.port);
    } else {
      src_is_client = seg.src.port > seg.dst.port;  // ephemeral ports are high
    }
    f.rec.client = src_is_client ? seg.src : seg.dst;
    f.rec.server = src_is_client ? seg.dst : seg.src;
    f.live = std::make_unique<LiveFlow>(opts.limits);
    recent.push_front(key);
    f.recent = recent.begin();
    return table.insert_or_assign(key, std::move(f)).first->second;
  }

  // Judges the flow (if still open), keeps or counts its record, forgets it.
  // `bound` names the limit that forced it out, if one did.
  void retire(std::list<FlowKey>::iterator at, const char* bound) {
    auto it = table.find(*at);
    FlowState& f = it->second;
    if (f.live && bound) {
      f.rec.cut_short = true;
      ++res.flows_cut_short;
      if (!cap_reported) {
        cap_reported = true;
        problem(here(), fmt::format("the analyzer's bound on {} was reached: open flows were "
                                    "finalised early, least recently active first (their later "
                                    "packets are analysed as new, mid-stream flows)",
                                    bound));
      }
    }
    finalize(f);
    check_readable(f.rec);
    if (res.flows.size() < opts.max_reported_flows) res.flows.push_back(std::move(f.rec));
    recent.erase(at);
    table.erase(it);
  }

  void on_tcp(const TcpSegment& seg, std::int64_t ts) {
    const FlowKey key = key_of(seg);
    const bool syn = seg.flags & kSyn, ack = seg.flags & kAck;
    auto it = table.find(key);
    if (it != table.end()) {
      FlowState& old = it->second;
      // A fresh client SYN on a finished 4-tuple, or with another ISN: port reuse.
      if (syn && !ack &&
          (!old.live || (old.live->client_isn_set && old.live->client_isn != seg.seq))) {
        retire(old.recent, nullptr);
        it = table.end();
      } else {
        recent.splice(recent.begin(), recent, old.recent);
      }
    }
    FlowState& f = it != table.end() ? it->second : new_flow(key, seg);
    FlowRecord& r = f.rec;
    const PacketRef ref = here();
    if (r.packets == 0) {
      r.first_us = ts;
      r.first_packet = ref;
    }
    ++r.packets;
    r.last_us = ts;
    r.last_packet = ref;
    const bool c2s = seg.src == r.client;
    (c2s ? r.bytes_c2s : r.bytes_s2c) += seg.payload_len;
    if (syn && !ack && c2s && !r.syn_seen) {
      r.syn_seen = true;
      r.syn_packet = ref;
    }
    if (seg.flags & kRst) r.rst_seen = true;
    if (seg.flags & kFin) r.fin_seen = true;
    if (!f.live) return;
    if (syn && ack && !c2s && r.syn_seen && !f.counted_open) {
      f.counted_open = true;
      ++open_connections;
    }
    LiveFlow& lf = *f.live;
    HalfStream& hs = c2s ? lf.c2s : lf.s2c;
    DirSink& sink = c2s ? lf.c2s_sink : lf.s2c_sink;
    if (syn) {
      hs.on_syn(seg.seq);
      if (c2s && !ack && !lf.client_isn_set) {
        lf.client_isn_set = true;
        lf.client_isn = seg.seq;
      }
    }
    if (seg.payload_len > 0 && sink.interested()) {
      if (!hs.anchored() && !syn) sink.start_midstream();
      hs.on_segment(syn ? seg.seq + 1 : seg.seq, seg.payload, seg.payload_len, pack(ref), sink);
      recount(f);
    }
    if (seg.flags & kFin) (c2s ? lf.fin_c2s : lf.fin_s2c) = true;
    if (((seg.flags & kRst) || (lf.fin_c2s && lf.fin_s2c)) && lf.c2s.buffered_bytes() == 0 &&
        lf.s2c.buffered_bytes() == 0) {
      finalize(f);
    }
    // Out-of-order bytes held across all flows: the oldest give theirs up.
    while (buffered_total > opts.max_buffered_bytes && !recent.empty()) {
      auto last = std::prev(recent.end());
      if (*last == key) break;  // never the flow being fed (its own cap bounds it)
      retire(last, "bytes held for reassembly");
    }
  }

  void recount(FlowState& f) {
    const std::size_t now =
        f.live ? f.live->c2s.buffered_bytes() + f.live->s2c.buffered_bytes() : 0;
    buffered_total = buffered_total - f.buffered + now;
    f.buffered = now;
  }

  // Bytes to an API port that did not decode, with bytes missing: they may
  // have spoken the API in plaintext. Judged as each flow is retired, so a
  // flow past the report bound is judged too.
  void check_readable(const FlowRecord& f) {
    const bool incomplete = f.c2s.gaps + f.s2c.gaps > 0 || f.c2s.midstream || f.s2c.midstream;
    if (f.cls != FlowClass::kOtherPlaintext || !incomplete ||
        !contains(opts.api_ports, f.server.port))
      return;
    if (res.unreadable_api_flows.size() < AnalysisResult::kMaxProblems) {
      res.unreadable_api_flows.push_back(fmt::format(
          "flow {} {} -> {}: bytes to API port {} were missed, so whether it spoke the API in "
          "plaintext cannot be told",
          f.id, f.client.str(), f.server.str(), f.server.port));
    } else {
      ++unreadable_unlisted;
    }
  }

  // Why this input cannot prove that nothing was exposed (analyze/watch exit 2).
  void unverifiable() {
    auto& why = res.undecodable;
    if (res.packets == 0) why.push_back("no packets could be read");
    for (const auto& s : res.sources)
      if (!s.complete) why.push_back(fmt::format("{} was not read to the end", s.name));
    for (const auto& [at, n] : unsupported) {
      why.push_back(fmt::format("{}: link type {} is not supported: {} not analysed",
                                at.first < res.sources.size() ? res.sources[at.first].name : "?",
                                at.second, counted(n, "packet")));
    }
    if (undecoded > 0) {
      why.push_back(fmt::format(
          "{} could not be decoded down to TCP and may have carried anything (first: "
          "packet {}: {})",
          counted(undecoded, "frame"), res.packet_label(first_undecoded), first_undecoded_what));
    }
    if (unreadable_unlisted > 0)
      res.unreadable_api_flows.push_back(fmt::format(
          "and {} more to an API port with bytes missing", counted(unreadable_unlisted, "flow")));
  }

  void finalize(FlowState& f) {
    if (!f.live) return;
    if (f.counted_open) {
      f.counted_open = false;
      --open_connections;
    }
    LiveFlow& lf = *f.live;
    FlowRecord& r = f.rec;
    lf.c2s.flush(lf.c2s_sink);
    lf.s2c.flush(lf.s2c_sink);
    r.c2s = lf.c2s.stats();
    r.s2c = lf.s2c.stats();
    std::vector<Finding> found;
    classify(r, lf, opts.tls_ports, found);
    for (auto& x : found) keep_finding(std::move(x));
    f.live.reset();
    recount(f);
  }

  // The kMaxFindings most severe are kept (a flood of medium findings never
  // pushes out a critical one); all are counted.
  void keep_finding(Finding x) {
    ++res.findings_total;
    auto& v = res.findings;
    if (v.size() < AnalysisResult::kMaxFindings) {
      v.push_back(std::move(x));
      return;
    }
    auto least = std::max_element(v.begin(), v.end(), [](const Finding& a, const Finding& b) {
      return severity_rank(a.severity) < severity_rank(b.severity);
    });
    if (severity_rank(x.severity) < severity_rank(least->severity)) *least = std::move(x);
  }
};

Analyzer::Analyzer(AnalyzerOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  impl_->res.api_ports = impl_->opts.api_ports;
  impl_->res.tls_ports = impl_->opts.tls_ports;
}
Analyzer::~Analyzer() = default;

void Analyzer::begin_source(std::string name, int dlt, std::string link_name) {
  impl_->res.sources.push_back({std::move(name), std::move(link_name), 0, true});
  impl_->dlt = dlt;
  impl_->number = 0;
  impl_->unsupported_reported = false;
}

void Analyzer::set_link_type(int dlt, std::string link_name) {
  if (dlt == impl_->dlt) return;
  impl_->dlt = dlt;
  impl_->unsupported_reported = false;
  if (!impl_->res.sources.empty()) {
    auto& lt = impl_->res.sources.back().link_type;
    if (lt.find(link_name) == std::string::npos) lt += "+" + link_name;
  }
}

std::uint64_t Analyzer::packets_in_source() const {
  return impl_->number;
}

std::uint64_t Analyzer::open_connections() const {
  return impl_->open_connections;
}

void Analyzer::source_problem(std::string what, bool stops_source) {
  PacketRef at = impl_->here();
  ++at.number;
  impl_->problem(at, std::move(what));
  if (stops_source && !impl_->res.sources.empty()) impl_->res.sources.back().complete = false;
}

void Analyzer::add(const RawPacket& pkt) {
  Impl& m = *impl_;
  if (m.res.sources.empty()) m.res.sources.push_back({"?", "?", 0, true});
  ++m.number;
  ++m.res.packets;
  ++m.res.sources.back().packets;
  TcpSegment seg;
  const DecodeStatus st = decode_tcp(m.dlt, pkt.bytes(), seg);
  switch (st) {
    case DecodeStatus::kTcp:
      ++m.res.tcp_packets;
      m.on_tcp(seg, pkt.ts_us);
      return;
    case DecodeStatus::kNotIp:
    case DecodeStatus::kNotTcp: ++m.res.other_packets; return;
    case DecodeStatus::kUnsupportedLink:
      ++m.res.other_packets;
      ++m.unsupported[{m.here().source, m.res.sources.back().link_type}];
      if (!m.unsupported_reported) {
        m.unsupported_reported = true;
        m.problem(m.here(), fmt::format("link type {} is not supported: its packets are skipped",
                                        m.res.sources.back().link_type));
      }
      return;
    default: {
      ++m.res.other_packets;
      std::string what =
          fmt::format("{} (captured {} of {} bytes)", to_string(st), pkt.caplen, pkt.wirelen);
      if (m.undecoded++ == 0) {
        m.first_undecoded = m.here();
        m.first_undecoded_what = what;
      }
      m.problem(m.here(), std::move(what));
      return;
    }
  }
}

AnalysisResult Analyzer::finish() {
  Impl& m = *impl_;
  // Oldest first, so the listed records are the first flows by id.
  while (!m.recent.empty()) m.retire(std::prev(m.recent.end()), nullptr);
  std::sort(m.res.flows.begin(), m.res.flows.end(),
            [](const FlowRecord& a, const FlowRecord& b) { return a.id < b.id; });
  sort_findings(m.res.findings);
  m.unverifiable();
  AnalysisResult out = std::move(m.res);
  m.res = AnalysisResult{};
  m.unsupported.clear();
  m.undecoded = 0;
  m.unreadable_unlisted = 0;
  m.cap_reported = false;
  m.buffered_total = 0;
  return out;
}

std::vector<std::string> AnalysisResult::unverified() const {
  std::vector<std::string> all = undecodable;
  all.insert(all.end(), unreadable_api_flows.begin(), unreadable_api_flows.end());
  return all;
}

std::string AnalysisResult::packet_label(const PacketRef& p) const {
  if (sources.size() <= 1) return "#" + std::to_string(p.number);
  const std::string& n = p.source < sources.size() ? sources[p.source].name : "?";
  return n + "#" + std::to_string(p.number);
}

}  // namespace vantage::capture
