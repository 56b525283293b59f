#!/usr/bin/python3
"""`vantage run`'s progress line, end to end: under a pseudo-terminal and not.

Three routers (loopback listeners at 127.0.0.51-53, started here) in an
inventory, two checks each, one failing. Under a pty (stdout and stderr the
terminal, as in an interactive shell) the raw bytes hold the progress line
("vantage: 6/6 checks, 1 failed, 0 errors, 3/3 targets, ..."), each draw
starting with \\r and an erase, never a newline inside it, and erased before
the console report prints. With --quiet or TERM=dumb on the pty, and with
stderr a pipe (a CI log), there is none. No root: loopback only.

Usage: progress_tty_test.py VANTAGE_BINARY
"""
import fcntl
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time

SCENARIO = r"""{
  "vantage": 1,
  "name": "progress",
  "vars": {
    "router": {"description": "the router's address"},
    "router_name": {"default": ""},
    "api_ssl_port": {"description": "must be open"},
    "api_port": {"description": "must be closed"}
  },
  "target": {"host": "${router}", "name": "${router_name}"},
  "sources": {"mgmt": {"address": "127.0.0.1"}},
  "defaults": {"timeout_ms": 3000, "attempts": 1},
  "checks": [
    {"id": "api-ssl-open", "probe": "tcp", "port": "${api_ssl_port}", "from": "mgmt", "expect": "open"},
    {"id": "plain-api-closed", "probe": "tcp", "port": "${api_port}", "from": "mgmt", "expect": "not-open"}
  ]
}
"""
# One fast check, then one that hangs: its port's accept queue is full, so
# its SYNs go unanswered until the timeout (Ctrl-C comes long before).
SLOW_SCENARIO = r"""{
  "vantage": 1,
  "name": "interrupted",
  "vars": {"router": {"description": "the router's address"},
           "open_port": {"description": "open"}, "full_port": {"description": "accept queue full"}},
  "target": {"host": "${router}"},
  "sources": {"mgmt": {"address": "127.0.0.1"}},
  "defaults": {"timeout_ms": 30000, "attempts": 1},
  "checks": [
    {"id": "fast", "probe": "tcp", "port": "${open_port}", "from": "mgmt", "expect": "open"},
    {"id": "slow", "probe": "tcp", "port": "${full_port}", "from": "mgmt", "expect": "open"}
  ]
}
"""
ERASE = b"\r\x1b[K"
LINE = re.compile(rb"vantage: (\d+)/(\d+) checks, (\d+) failed, (\d+) errors?, (\d+)/(\d+) targets?, [0-9.]+ m?s")
DEADLINE_S = 60


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run_on_pty(argv, columns=120, env=None, interrupt_after=None):
    """Runs argv with stdout and stderr on a new pty; returns (rc, raw bytes).
    interrupt_after: a regex; once the output matches it, SIGINT (Ctrl-C)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = dict(os.environ, TERM="xterm") if env is None else env
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                            start_new_session=True, env=env)
    os.close(slave)
    out = b""
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            out += chunk
            if interrupt_after is not None and interrupt_after.search(out):
                interrupt_after = None
                proc.send_signal(signal.SIGINT)
        elif proc.poll() is not None:
            break
    os.close(master)
    try:
        rc = proc.wait(timeout=DEADLINE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("vantage did not finish: %r" % out)
    return rc, out


def main():
    vantage = sys.argv[1]
    work = tempfile.mkdtemp(prefix="vantage-progress-")
    listeners = []
    try:
        closed = socket.socket()
        closed.bind(("127.0.0.51", 0))
        closed_port = closed.getsockname()[1]
        closed.close()
        lines = []
        for i in range(3):
            ip = "127.0.0.%d" % (51 + i)
            s = socket.socket()
            s.bind((ip, 0))
            s.listen(16)
            listeners.append(s)
            port = s.getsockname()[1]
            api = port if i == 1 else closed_port  # rtr-2's plain api is open: one failure
            lines.append("rtr-%d ansible_host=%s api_ssl_port=%d api_port=%d" % (i + 1, ip, port, api))
        scenario, hosts = os.path.join(work, "s.json"), os.path.join(work, "hosts.ini")
        with open(scenario, "w") as f:
            f.write(SCENARIO)
        with open(hosts, "w") as f:
            f.write("[routers]\n" + "\n".join(lines) + "\n")
        argv = [vantage, "run", scenario, "--inventory", hosts, "--no-color"]

        # On a terminal: the line, drawn in place, ending at the totals, erased
        # before the report.
        rc, out = run_on_pty(argv)
        if rc != 1:
            fail("on a pty: exit %d (want 1), output %r" % (rc, out))
        draws = [m for m in LINE.finditer(out)]
        if not draws:
            fail("no progress line on the pty: %r" % out)
        for m in draws:
            if out[m.start() - len(ERASE):m.start()] != ERASE:
                fail("a progress draw does not start with \\r and an erase: %r" % out)
        last = draws[-1]
        if last.groups()[:6] != (b"6", b"6", b"1", b"0", b"3", b"3"):
            fail("the last draw is not the totals: %r" % last.group(0))
        done = [int(m.group(1)) for m in draws]
        if done != sorted(done):
            fail("progress went backwards: %s" % done)
        erase_after = out.find(ERASE, last.end())
        report = out.find(b"rtr-2", last.end())
        if erase_after != last.end() or report < erase_after:
            fail("the line is not erased before the report prints: %r" % out)
        if b"\n" in out[draws[0].start():last.end()]:
            fail("something printed a newline while the line was up: %r" % out)

        # --quiet on a terminal: no line.
        rc, quiet = run_on_pty(argv + ["--quiet"])
        if rc != 1 or LINE.search(quiet) or ERASE in quiet:
            fail("--quiet on a pty: exit %d, output %r" % (rc, quiet))

        # TERM=dumb cannot erase a line: none either.
        rc, dumb = run_on_pty(argv, env=dict(os.environ, TERM="dumb"))
        if rc != 1 or LINE.search(dumb) or ERASE in dumb:
            fail("TERM=dumb on a pty: exit %d, output %r" % (rc, dumb))

        # Not a terminal: stderr a pipe, as in CI. No line, no \r, no escape.
        piped = subprocess.run(argv, capture_output=True, timeout=DEADLINE_S)
        if piped.returncode != 1:
            fail("piped: exit %d: %r %r" % (piped.returncode, piped.stdout, piped.stderr))
        both = piped.stdout + piped.stderr
        if LINE.search(both) or b"\r" in both or b"\x1b" in both:
            fail("progress output without a terminal: %r" % both)
        # Ctrl-C while the line is up: erased, and vantage still dies of SIGINT.
        opened = socket.socket()
        opened.bind(("127.0.0.54", 0))
        opened.listen(16)
        listeners.append(opened)
        full = socket.socket()
        full.bind(("127.0.0.54", 0))
        full.listen(0)
        listeners.append(full)
        for _ in range(3):  # fill the accept queue; later SYNs are dropped
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(full.getsockname())
            listeners.append(c)
        time.sleep(0.2)
        slow = os.path.join(work, "slow.json")
        with open(slow, "w") as f:
            f.write(SLOW_SCENARIO)
        rc, cut = run_on_pty([vantage, "run", slow, "--var", "router=127.0.0.54", "--var",
                              "open_port=%d" % opened.getsockname()[1], "--var",
                              "full_port=%d" % full.getsockname()[1], "--no-color"],
                             interrupt_after=LINE)
        if rc != -signal.SIGINT:
            fail("Ctrl-C: exit %d (want death by SIGINT), output %r" % (rc, cut))
        shown = list(LINE.finditer(cut))
        if not shown:
            fail("Ctrl-C: no progress line before it: %r" % cut)
        if not cut[shown[-1].end():].startswith(ERASE):
            fail("Ctrl-C left the progress line on the screen: %r" % cut)
        print("ok: %d draws on the pty, the last %s, erased before the report; none with --quiet, "
              "TERM=dumb or without a terminal; erased on Ctrl-C" % (len(draws), last.group(0).decode()))
    finally:
        for s in listeners:
            s.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
