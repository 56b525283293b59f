#include "capture/live_capture.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <optional>

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

void LiveCapture::start() {
  thread_ = std::thread([this] { loop(); });
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
    while (true) {
      pollfd pfd[2] = {{handle_->selectable_fd(), POLLIN, 0}, {wake_read_.get(), POLLIN, 0}};
      const int n = ::poll(pfd, 2, 100);
      if (n < 0 && errno != EINTR) throw SystemError("poll on the capture", errno);
      if (n > 0 && (pfd[1].revents & POLLIN) && !stop_by) stop_by = Clock::now() + kStopDrain;
      const auto round_end = stop_by ? *stop_by : Clock::now() + kRound;
      bool empty = false;
      while (!empty && Clock::now() < round_end) {
        const int got = handle_->dispatch(-1, on_packet);
        if (got < 0) throw Error("capture read failed: " + handle_->last_error());
        empty = got == 0;
      }
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
  const char c = 1;
  [[maybe_unused]] auto w = ::write(wake_write_.get(), &c, 1);
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
