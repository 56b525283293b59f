#include "capture/live_capture.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "net/source.hpp"

namespace vantage::capture {

LiveCapture::LiveCapture(const LiveConfig& cfg, AnalyzerOptions opts)
    : cfg_(cfg), analyzer_(std::move(opts)) {
  LiveOptions lo;
  lo.interface = cfg.interface;
  lo.snaplen = cfg.snaplen;
  lo.buffer_bytes = cfg.buffer_bytes;
  // The packet socket is created inside the namespace and keeps it for life.
  net::run_in_netns(cfg.netns, [&] { handle_.emplace(PcapHandle::open_live(lo)); });
  if (!cfg.filter.empty()) handle_->set_filter(cfg.filter);
  handle_->set_nonblock(true);
  if (!cfg.file.empty()) dumper_ = PcapDumper::open(*handle_, cfg.file);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw SystemError("pipe", errno);
  wake_read_.reset(fds[0]);
  wake_write_.reset(fds[1]);
  link_type_ = handle_->datalink_name();
  dlt_ = handle_->datalink();
  std::string name = "live:" + cfg.interface + (cfg.netns ? "@" + *cfg.netns : std::string());
  analyzer_.begin_source(std::move(name), handle_->datalink(), link_type_);
}

LiveCapture::~LiveCapture() {
  stop_thread();
}

namespace {
// Bytes on the wake pipe.
constexpr char kStop = 1, kSync = 2;
}  // namespace

void LiveCapture::start() {
  running_ = true;
  thread_ = std::thread([this] {
    loop();
    running_ = false;
  });
}

bool LiveCapture::catch_up(std::chrono::steady_clock::time_point by) {
  const std::uint64_t want = sync_asked_.fetch_add(1) + 1;
  [[maybe_unused]] auto w = ::write(wake_write_.get(), &kSync, 1);
  while (sync_done_.load() < want && running_.load() && std::chrono::steady_clock::now() < by)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return sync_done_.load() >= want;
}

void LiveCapture::loop() {
  const std::function<void(const RawPacket&)> on_packet = [this](const RawPacket& raw) {
    if (dumper_) {
      // The evidence we keep must not store the secret it caught: write a
      // masked copy. The analyzer reads the original (to name the user of an
      // HTTP Basic login) and keeps no secret.
      RawPacket p = raw;
      if (cfg_.redact_credentials && redactor_.needs_redaction(dlt_, p.bytes())) {
        scratch_.assign(p.data, p.data + p.caplen);
        redactor_.redact(dlt_, scratch_);
        p.data = scratch_.data();
      }
      dumper_.write(p);
    }
    analyzer_.add(raw);
    open_.store(analyzer_.open_connections(), std::memory_order_relaxed);
    packets_.fetch_add(1, std::memory_order_relaxed);
  };
  try {
    using Clock = std::chrono::steady_clock;
    // A drain round is bounded in time, so a flood cannot keep the thread
    // from seeing the stop request; after the request, what the kernel
    // already holds (the run's last packets) is read for at most kStopDrain.
    constexpr auto kRound = std::chrono::milliseconds(200);
    constexpr auto kStopDrain = std::chrono::seconds(2);
    std::optional<Clock::time_point> stop_by;
    std::uint64_t sync_seen = 0;  // catch_up() requests to answer once the ring is empty
    while (true) {
      pollfd pfd[2] = {{handle_->selectable_fd(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
      const int n = ::poll(pfd, 2, 100);
      if (n < 0 && errno != EINTR) throw SystemError("poll on the capture", errno);
      if (n > 0 && (pfd[1].revents & POLLIN)) {
        char wake[64];
        const ssize_t k = ::read(wake_read_.get(), wake, sizeof wake);
        for (ssize_t i = 0; i < k; ++i) {
          if (wake[i] == kStop && !stop_by) stop_by = Clock::now() + kStopDrain;
          if (wake[i] == kSync) sync_seen = sync_asked_.load();
        }
      }
      const auto round_end = stop_by ? *stop_by : Clock::now() + kRound;
      bool empty = false;
      while (!empty && Clock::now() < round_end) {
        const int got = handle_->dispatch(-1, on_packet);
        if (got < 0) throw Error("capture read failed: " + handle_->last_error());
        empty = got == 0;
      }
      if (empty && sync_seen > sync_done_.load()) sync_done_.store(sync_seen);
      if (stop_by) {
        if (!empty)
          throw Error(fmt::format(
              "the capture stopped with packets still unread after {} s of draining (sustained "
              "traffic matched the filter): its evidence may lack the run's last packets",
              kStopDrain.count()));
        break;
      }
    }
  } catch (const std::exception& e) {
    thread_error_ = e.what();
  }
  if (dumper_) dumper_.flush();
}

void LiveCapture::stop_thread() {
  if (!thread_.joinable()) return;
  [[maybe_unused]] auto w = ::write(wake_write_.get(), &kStop, 1);
  thread_.join();
}

LiveResult LiveCapture::finish() {
  stop_thread();
  LiveResult r;
  r.counters = handle_->counters();
  r.link_type = link_type_;
  r.error = thread_error_;
  dumper_.close();
  r.analysis = analyzer_.finish();
  return r;
}

}  // namespace vantage::capture
