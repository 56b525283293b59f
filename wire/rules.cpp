#include "wire/rules.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

extern char** environ;

namespace vantage::wire {

namespace {

struct Hook {
  const char* builtin;
  const char* match;
  const char* chain;
};
constexpr Hook kIn{"PREROUTING", "! -i lo", "VANTAGE_WIRE_IN"};
constexpr Hook kOut{"POSTROUTING", "! -o lo", "VANTAGE_WIRE_OUT"};
constexpr Hook kLo{"OUTPUT", "-o lo", "VANTAGE_WIRE_LO"};

struct ToolResult {
  int status = -1;
  std::string output;
};

// Runs argv with `input` on stdin; returns the exit status and stdout+stderr.
ToolResult run_tool(const std::vector<std::string>& argv, const std::string& input) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw SystemError("wire: pipe", errno);
  UniqueFd in_r(in[0]), in_w(in[1]);
  if (::pipe2(out, O_CLOEXEC) != 0) throw SystemError("wire: pipe", errno);
  UniqueFd out_r(out[0]), out_w(out[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_r.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out_w.get(), 1);
  posix_spawn_file_actions_adddup2(&fa, out_w.get(), 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    if (rc == ENOENT)
      throw Error("wire: " + argv[0] + " not found: install iptables (apt-get install iptables)");
    throw SystemError("wire: starting " + argv[0], rc);
  }
  in_r.reset();
  out_w.reset();
  // The scripts are a few hundred bytes: far below a pipe's capacity.
  (void)!::write(in_w.get(), input.data(), input.size());
  in_w.reset();
  ToolResult r;
  std::array<char, 4096> buf{};
  ssize_t n;
  while ((n = ::read(out_r.get(), buf.data(), buf.size())) > 0)
    r.output.append(buf.data(), static_cast<std::size_t>(n));
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

std::vector<Hook> hooks(const QueueNumbers& q) {
  std::vector<Hook> h{kIn, kOut};
  if (q.loopback) h.push_back(kLo);
  return h;
}

std::uint16_t queue_of(const Hook& h, const QueueNumbers& q) {
  if (h.chain == kIn.chain) return q.ingress;
  if (h.chain == kOut.chain) return q.egress;
  return q.loopback.value_or(0);
}

constexpr std::array<const char*, 2> kFamilies{"iptables", "ip6tables"};

// Applies a script to one family; returns iptables' complaint, empty on success.
std::string restore(const char* family, const std::string& script) {
  const std::string tool = std::string(family) + "-restore";
  ToolResult r = run_tool({tool, "-w", "--noflush"}, script);
  return r.status == 0 ? "" : tool + ": " + r.output;
}

// Best effort: the rules and chains a wire killed with SIGKILL left behind.
void remove_stale() {
  for (const char* fam : kFamilies) {
    const Hook all[] = {kIn, kOut, kLo};
    for (const Hook& h : all) {
      if (run_tool({fam, "-w", "-t", "mangle", "-S", h.chain}, "").status != 0) continue;
      std::vector<std::string> del{fam, "-w", "-t", "mangle", "-D", h.builtin};
      const std::string m = h.match;
      if (m[0] == '!')
        del.insert(del.end(), {"!", m.substr(2, 2), "lo"});
      else
        del.insert(del.end(), {m.substr(0, 2), "lo"});
      del.insert(del.end(), {"-j", h.chain});
      for (int i = 0; i < 8 && run_tool(del, "").status == 0; ++i) {
      }
      run_tool({fam, "-w", "-t", "mangle", "-F", h.chain}, "");
      run_tool({fam, "-w", "-t", "mangle", "-X", h.chain}, "");
    }
  }
}

}  // namespace

std::string Rules::install_script(const QueueNumbers& q) {
  std::string s = "*mangle\n";
  for (const Hook& h : hooks(q)) s += std::string(":") + h.chain + " - [0:0]\n";
  for (const Hook& h : hooks(q))
    s += std::string("-A ") + h.chain + " -j NFQUEUE --queue-num " +
         std::to_string(queue_of(h, q)) + "\n";
  for (const Hook& h : hooks(q))
    s += std::string("-I ") + h.builtin + " 1 " + h.match + " -j " + h.chain + "\n";
  return s + "COMMIT\n";
}

std::string Rules::remove_script(const QueueNumbers& q) {
  std::string s = "*mangle\n";
  for (const Hook& h : hooks(q))
    s += std::string("-D ") + h.builtin + " " + h.match + " -j " + h.chain + "\n";
  for (const Hook& h : hooks(q)) s += std::string("-F ") + h.chain + "\n-X " + h.chain + "\n";
  return s + "COMMIT\n";
}

Rules::Rules(const QueueNumbers& q) : q_(q) {
  remove_stale();
  if (auto err = restore(kFamilies[0], install_script(q_)); !err.empty())
    throw Error("wire: installing rules: " + err);
  if (auto err = restore(kFamilies[1], install_script(q_)); !err.empty()) {
    restore(kFamilies[0], remove_script(q_));  // all or nothing
    throw Error("wire: installing rules: " + err);
  }
  installed_ = true;
}

Rules::~Rules() {
  try {
    remove();
  } catch (...) {  // a destructor reports nothing; remove() is called first on the normal path
  }
}

void Rules::remove() {
  if (!installed_) return;
  installed_ = false;
  std::string errors;
  for (const char* fam : kFamilies) errors += restore(fam, remove_script(q_));
  if (!errors.empty()) throw Error("wire: removing rules: " + errors);
}

}  // namespace vantage::wire
