#include "wire/nfqueue.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <sys/socket.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace vantage::wire {

namespace {

constexpr std::size_t kBatchBytes = 64 * 1024;
constexpr int kRcvBuf = 8 * 1024 * 1024;  // > maxlen x a META notification, so none is lost

std::string permission_hint(const std::string& what) {
  return "wire: " + what +
         " needs CAP_NET_ADMIN (netfilter queues and iptables rules): run as root, or grant it "
         "with "
         "`setcap cap_net_admin,cap_sys_admin+ep vantage`";
}

}  // namespace

void NfQueue::Closer::operator()(mnl_socket* s) const {
  mnl_socket_close(s);
}

NfQueue::NfQueue() : rx_(0xffff + (MNL_SOCKET_BUFFER_SIZE / 2)), batch_(kBatchBytes) {
  nl_.reset(mnl_socket_open(NETLINK_NETFILTER));
  if (!nl_) {
    if (errno == EPERM || errno == EACCES)
      throw PermissionError(permission_hint("opening a netfilter socket"));
    throw SystemError("wire: opening a netfilter netlink socket", errno);
  }
  if (mnl_socket_bind(nl_.get(), 0, MNL_SOCKET_AUTOPID) < 0)
    throw SystemError("wire: binding the netlink socket", errno);
  portid_ = mnl_socket_get_portid(nl_.get());
  // Forced size: the default rmem_max would overflow long before the queue bound.
  int size = kRcvBuf;
  if (setsockopt(fd(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
    setsockopt(fd(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

NfQueue::~NfQueue() = default;

int NfQueue::fd() const {
  return mnl_socket_get_fd(nl_.get());
}

void NfQueue::request(std::vector<char>& msg) {
  auto* nlh = reinterpret_cast<nlmsghdr*>(msg.data());
  nlh->nlmsg_flags |= NLM_F_ACK;
  nlh->nlmsg_seq = seq_++;
  if (mnl_socket_sendto(nl_.get(), nlh, nlh->nlmsg_len) < 0)
    throw SystemError("wire: netlink send", errno);
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  for (int i = 0; i < 16; ++i) {  // the ACK is next; bounded all the same
    const ssize_t n = mnl_socket_recvfrom(nl_.get(), buf.data(), buf.size());
    if (n < 0) throw SystemError("wire: netlink receive", errno);
    const int rc = mnl_cb_run(buf.data(), static_cast<std::size_t>(n), nlh->nlmsg_seq, portid_,
                              nullptr, nullptr);
    if (rc == MNL_CB_STOP || rc == MNL_CB_OK) return;
    if (rc < 0) throw SystemError("wire: netfilter queue configuration", errno);
  }
  throw Error("wire: no acknowledgement from nfnetlink_queue");
}

void NfQueue::bind(std::uint16_t num, std::uint32_t maxlen) {
  std::vector<char> msg(MNL_SOCKET_BUFFER_SIZE);
  nfq_nlmsg_cfg_put_cmd(nfq_nlmsg_put(msg.data(), NFQNL_MSG_CONFIG, num), AF_UNSPEC,
                        NFQNL_CFG_CMD_BIND);
  try {
    request(msg);
  } catch (const SystemError& e) {
    if (e.code() != EPERM) throw;
    // The kernel says EPERM both without CAP_NET_ADMIN and for a queue
    // another socket holds; only the second one is listed.
    if (kernel_stats(num))
      throw Error("wire: netfilter queue " + std::to_string(num) +
                  " is taken in this network namespace (is another `vantage wire` running here?)");
    throw PermissionError(permission_hint("binding a netfilter queue"));
  }
  msg.assign(msg.size(), 0);
  nlmsghdr* nlh = nfq_nlmsg_put(msg.data(), NFQNL_MSG_CONFIG, num);
  nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_META, 0);
  nfq_nlmsg_cfg_put_qmaxlen(nlh, maxlen);
  request(msg);
}

void NfQueue::receive(const std::function<void(std::uint16_t, std::uint32_t)>& on_packet) {
  struct Ctx {
    const std::function<void(std::uint16_t, std::uint32_t)>* fn;
  } ctx{&on_packet};
  auto cb = [](const nlmsghdr* nlh, void* data) -> int {
    nlattr* attr[NFQA_MAX + 1] = {};
    if (nfq_nlmsg_parse(nlh, attr) < 0 || !attr[NFQA_PACKET_HDR]) return MNL_CB_OK;  // not a packet
    const auto* ph =
        static_cast<const nfqnl_msg_packet_hdr*>(mnl_attr_get_payload(attr[NFQA_PACKET_HDR]));
    const auto* nfg = static_cast<const nfgenmsg*>(mnl_nlmsg_get_payload(nlh));
    (*static_cast<Ctx*>(data)->fn)(ntohs(nfg->res_id), ntohl(ph->packet_id));
    return MNL_CB_OK;
  };
  for (int i = 0; i < 4096; ++i) {  // bounded: a flood waits for the next poll round
    const ssize_t n = recv(fd(), rx_.data(), rx_.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (errno == ENOBUFS) {
        ++overruns_;
        continue;
      }
      if (errno == EINTR) continue;
      throw SystemError("wire: netlink receive", errno);
    }
    mnl_cb_run(rx_.data(), static_cast<std::size_t>(n), 0, portid_, cb, &ctx);
  }
}

void NfQueue::verdict(std::uint16_t queue, std::uint32_t id, bool accept) {
  if (batch_len_ + MNL_SOCKET_BUFFER_SIZE / 8 > batch_.size()) flush();
  char* at = batch_.data() + batch_len_;
  std::fill(at, at + MNL_SOCKET_BUFFER_SIZE / 8, 0);
  nlmsghdr* nlh = nfq_nlmsg_put(at, NFQNL_MSG_VERDICT, queue);
  nfq_nlmsg_verdict_put(nlh, static_cast<int>(id), accept ? NF_ACCEPT : NF_DROP);
  batch_len_ += NLMSG_ALIGN(nlh->nlmsg_len);
}

void NfQueue::flush() {
  if (batch_len_ == 0) return;
  // Several netlink messages in one datagram; the kernel handles each in turn.
  if (mnl_socket_sendto(nl_.get(), batch_.data(), batch_len_) < 0) {
    batch_len_ = 0;
    throw SystemError("wire: sending verdicts", errno);
  }
  batch_len_ = 0;
}

std::optional<KernelQueueStats> NfQueue::kernel_stats(std::uint16_t num) {
  // queue_number peer_portid queue_total copy_mode copy_range queue_dropped user_dropped id_seq 1
  std::ifstream in("/proc/net/netfilter/nfnetlink_queue");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::uint64_t q, portid, total, mode, range, dropped, user_dropped;
    if (ls >> q >> portid >> total >> mode >> range >> dropped >> user_dropped && q == num)
      return KernelQueueStats{dropped, user_dropped};
  }
  return std::nullopt;
}

}  // namespace vantage::wire
