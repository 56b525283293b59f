#include "lab/nflog.hpp"

extern "C" {
#include <libnetfilter_log/libnetfilter_log.h>
}
#include <arpa/inet.h>
#include <fmt/format.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace vantage::lab {

struct NflogReader::Handles {
  struct CloseHandle {
    void operator()(nflog_handle* handle) const { nflog_close(handle); }
  };
  struct UnbindGroup {
    void operator()(nflog_g_handle* group) const { nflog_unbind_group(group); }
  };
  std::unique_ptr<nflog_handle, CloseHandle> h;
  std::unique_ptr<nflog_g_handle, UnbindGroup> g;  // declared last: unbound first
};

std::string routeros_firewall_line(const std::string& chain, const std::string& in_if,
                                   const std::string& src_mac, const unsigned char* p,
                                   std::size_t len) {
  std::string out = chain + ": in:" + in_if + " out:(unknown 0)";
  if (!src_mac.empty()) out += ", src-mac " + src_mac;
  if (len < sizeof(iphdr)) return out + ", len " + std::to_string(len);
  iphdr ip;
  std::memcpy(&ip, p, sizeof ip);
  char src[INET_ADDRSTRLEN] = "", dst[INET_ADDRSTRLEN] = "";
  inet_ntop(AF_INET, &ip.saddr, src, sizeof src);
  inet_ntop(AF_INET, &ip.daddr, dst, sizeof dst);
  const std::size_t ihl = ip.ihl * 4u;
  const unsigned total = ntohs(ip.tot_len);
  if (ip.protocol == IPPROTO_TCP && len >= ihl + sizeof(tcphdr)) {
    tcphdr t;
    std::memcpy(&t, p + ihl, sizeof t);
    std::string flags;
    const std::pair<bool, const char*> bits[] = {{t.syn != 0, "SYN"}, {t.ack != 0, "ACK"},
                                                 {t.psh != 0, "PSH"}, {t.fin != 0, "FIN"},
                                                 {t.rst != 0, "RST"}, {t.urg != 0, "URG"}};
    for (const auto& [on, name] : bits)
      if (on) flags += (flags.empty() ? "" : ",") + std::string(name);
    out += fmt::format(", proto TCP ({}), {}:{}->{}:{}", flags, src, ntohs(t.source), dst,
                       ntohs(t.dest));
  } else if (ip.protocol == IPPROTO_UDP && len >= ihl + sizeof(udphdr)) {
    udphdr u;
    std::memcpy(&u, p + ihl, sizeof u);
    out += fmt::format(", proto UDP, {}:{}->{}:{}", src, ntohs(u.source), dst, ntohs(u.dest));
  } else {
    out += fmt::format(", proto {}, {}->{}", ip.protocol, src, dst);
  }
  return out + ", len " + std::to_string(total);
}

namespace {

int on_packet(nflog_g_handle*, nfgenmsg*, nflog_data* nfa, void* data) {
  auto* on_line = static_cast<NflogReader::OnLine*>(data);
  const char* prefix = nflog_get_prefix(nfa);
  char ifname[IF_NAMESIZE] = "";
  if (auto idx = nflog_get_indev(nfa); idx == 0 || !if_indextoname(idx, ifname))
    std::snprintf(ifname, sizeof ifname, "(unknown 0)");
  std::string mac;
  if (nfulnl_msg_packet_hw* hw = nflog_get_packet_hw(nfa)) {
    const unsigned n = std::min<unsigned>(ntohs(hw->hw_addrlen), sizeof hw->hw_addr);
    for (unsigned i = 0; i < n; ++i) mac += fmt::format("{}{:02X}", i ? ":" : "", hw->hw_addr[i]);
  }
  char* payload = nullptr;
  const int len = nflog_get_payload(nfa, &payload);
  if (len <= 0 || !payload) return 0;
  (*on_line)(
      prefix ? prefix : "",
      routeros_firewall_line("input", ifname, mac, reinterpret_cast<const unsigned char*>(payload),
                             static_cast<std::size_t>(len)));
  return 0;
}

}  // namespace

NflogReader::NflogReader(int group, OnLine on_line)
    : h_(std::make_unique<Handles>()), on_line_(std::move(on_line)) {
  h_->h.reset(nflog_open());
  if (!h_->h) throw SystemError("lab: nflog_open", errno);
  nflog_bind_pf(h_->h.get(), AF_INET);  // a no-op on current kernels; older ones need it
  h_->g.reset(nflog_bind_group(h_->h.get(), static_cast<std::uint16_t>(group)));
  if (!h_->g)
    throw SystemError("lab: cannot bind NFLOG group " + std::to_string(group) +
                          " (needs CAP_NET_ADMIN and nfnetlink_log)",
                      errno);
  if (nflog_set_mode(h_->g.get(), NFULNL_COPY_PACKET, 128) < 0)
    throw SystemError("lab: nflog_set_mode", errno);
  nflog_callback_register(h_->g.get(), &on_packet, &on_line_);
  thread_ = std::thread([this] { run(); });
}

NflogReader::~NflogReader() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void NflogReader::run() {
  const int fd = nflog_fd(h_->h.get());
  char buf[65536];
  while (!stop_) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;  // bounded: stop_ is seen within 200 ms
    const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) nflog_handle_packet(h_->h.get(), buf, static_cast<int>(n));
    // ENOBUFS (a burst overran the socket): those lines are lost, as a
    // router's memory log loses them; keep reading.
  }
}

}  // namespace vantage::lab
