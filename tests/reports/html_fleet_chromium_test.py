#!/usr/bin/python3
"""A fleet's HTML report in headless Chromium: the targets x checks matrix.

Runs `vantage run --inventory` against six routers (loopback listeners at
127.0.0.41-46, started here), opens report.html and asserts on the DOM: one
row per target in inventory order, one cell per check, each cell's class the
verdict report.json gives that target and check (a failing cell red), each
cell's link landing on a row of that check; then clicks the headers with real
mouse events: by name sorts A-Z, again Z-A, by failures most first. The
console has no error or warning (the CSP admits the script and the style by
hash; a violation would be logged). No root: loopback only.

Usage: html_fleet_chromium_test.py VANTAGE_BINARY OUT_DIR (the screenshot is
OUT_DIR/fleet-report.png).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from chromium_page import Page, fail, start_chromium  # noqa: E402

SCENARIO = r"""{
  "vantage": 1,
  "name": "fleet matrix",
  "vars": {
    "router": {"description": "the router's address"},
    "router_name": {"default": ""},
    "api_ssl_port": {"description": "must be open"},
    "api_port": {"description": "must be closed"},
    "telnet_port": {"description": "must be closed"}
  },
  "target": {"host": "${router}", "name": "${router_name}"},
  "sources": {"mgmt": {"address": "127.0.0.1"}},
  "defaults": {"timeout_ms": 3000, "attempts": 1},
  "checks": [
    {"id": "api-ssl-open", "probe": "tcp", "port": "${api_ssl_port}", "from": "mgmt", "expect": "open"},
    {"id": "plain-api-closed", "probe": "tcp", "port": "${api_port}", "from": "mgmt", "expect": "not-open"},
    {"id": "telnet-closed", "probe": "tcp", "port": "${telnet_port}", "from": "mgmt", "expect": "not-open"}
  ]
}
"""

# Inventory order is not name order; mike fails twice, yankee once.
NAMES = ["zulu", "alpha", "mike", "bravo", "yankee", "charlie"]
FAILS = {"mike": ("api_port", "telnet_port"), "yankee": ("api_port",)}

DOM_FACTS = r"""JSON.stringify({
  heads: [...document.querySelectorAll('#matrix thead th')].map(th => th.textContent),
  rows: [...document.querySelectorAll('#matrix tbody tr')].map(tr => ({
      name: tr.cells[0].textContent, fails: +tr.cells[1].textContent,
      cells: [...tr.cells].slice(2).map(td => {
          const a = td.querySelector('a'), row = a && document.getElementById(a.hash.slice(1));
          return {cls: td.className, text: td.textContent.trim(),
                  colour: getComputedStyle(td).backgroundColor,
                  lands: row ? row.dataset.check || row.textContent : null};
      })})),
  fleetBeforeFix: document.querySelector('#fleet').compareDocumentPosition(
      document.querySelector('#fix')) === Node.DOCUMENT_POSITION_FOLLOWING,
  scripts: document.scripts.length,
})"""

ORDER = r"""JSON.stringify([...document.querySelectorAll('#matrix tbody tr')].map(
    tr => tr.cells[0].textContent))"""


def button_centre(page, key):
    return page.evaluate(r"""(() => {
      const b = document.querySelector('#matrix button[data-sort=%s]');
      b.scrollIntoView({block: 'center'});
      const r = b.getBoundingClientRect();
      return JSON.stringify([r.x + r.width / 2, r.y + r.height / 2]);
    })()""" % key)


def click(page, key):
    """A real mouse click (press and release) on the header's button."""
    x, y = button_centre(page, key)
    for kind in ("mousePressed", "mouseReleased"):
        page.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
    return page.evaluate(ORDER)


def main():
    vantage, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="vantage-fleet-html-")
    listeners = []
    try:
        closed = socket.socket()
        closed.bind(("127.0.0.41", 0))
        closed_port = closed.getsockname()[1]
        closed.close()  # nothing listens there now
        lines = []
        for i, name in enumerate(NAMES):
            ip = "127.0.0.%d" % (41 + i)
            s = socket.socket()
            s.bind((ip, 0))
            s.listen(16)
            listeners.append(s)
            port = s.getsockname()[1]
            ports = {"api_ssl_port": port, "api_port": closed_port, "telnet_port": closed_port}
            for var in FAILS.get(name, ()):
                ports[var] = port  # open: that check fails
            lines.append("%s ansible_host=%s %s" % (
                name, ip, " ".join("%s=%d" % kv for kv in sorted(ports.items()))))
        with open(os.path.join(work, "s.json"), "w") as f:
            f.write(SCENARIO)
        with open(os.path.join(work, "hosts.ini"), "w") as f:
            f.write("[routers]\n" + "\n".join(lines) + "\n")
        run = subprocess.run([vantage, "run", os.path.join(work, "s.json"), "--inventory",
                              os.path.join(work, "hosts.ini"), "--no-color", "--report-dir",
                              os.path.join(work, "out")],
                             capture_output=True, text=True, timeout=120)
        if run.returncode != 1:
            fail("vantage run exited %d (want 1: failures):\n%s%s" % (run.returncode, run.stdout, run.stderr))
        if "\r" in run.stderr:
            fail("a progress line in non-TTY stderr: %r" % run.stderr)
        report = json.load(open(os.path.join(work, "out", "report.json")))
        html = os.path.join(work, "out", "report.html")
        want = {}
        for sc in report["scenarios"]:
            for t in sc["targets"]:
                for c in t["checks"]:
                    want[(t["name"], c["id"])] = c["verdict"]["status"]
        checks = ["api-ssl-open", "plain-api-closed", "telnet-closed"]

        browser, port = start_chromium(os.path.join(work, "profile"))
        try:
            page = Page(port)
            page.open(html)
            facts = page.evaluate(DOM_FACTS)
            by_name = click(page, "name")
            by_name_again = click(page, "name")
            by_fails = click(page, "fail")
            png = page.save_screenshot(os.path.join(out_dir, "fleet-report.png"))
            errors = page.console_errors()
        finally:
            browser.kill()
            browser.wait(timeout=10)

        if errors:
            fail("console errors:\n  " + "\n  ".join(errors))
        if facts["heads"] != ["Target", "Failures"] + checks:
            fail("matrix columns %s" % facts["heads"])
        if [r["name"] for r in facts["rows"]] != NAMES:
            fail("matrix rows %s, want the inventory's %s" % ([r["name"] for r in facts["rows"]], NAMES))
        for r in facts["rows"]:
            if len(r["cells"]) != len(checks):
                fail("row %s has %d cells for %d checks" % (r["name"], len(r["cells"]), len(checks)))
            if r["fails"] != len(FAILS.get(r["name"], ())):
                fail("row %s says %d failures" % (r["name"], r["fails"]))
            for check, cell in zip(checks, r["cells"]):
                status = want[(r["name"], check)]
                if cell["cls"] != status:
                    fail("%s/%s: cell class %r, report.json says %s" % (r["name"], check, cell["cls"], status))
                if cell["lands"] != check:
                    fail("%s/%s: the cell's link lands on %r" % (r["name"], check, cell["lands"]))
        red = [c for r in facts["rows"] for c in r["cells"] if c["cls"] == "fail"]
        if len(red) != 3 or any(c["colour"] != "rgb(207, 34, 46)" or c["text"] != "F" for c in red):
            fail("failing cells are not red F's: %s" % red)
        if not facts["fleetBeforeFix"] or facts["scripts"] != 1:
            fail("matrix not above the fix panel, or not one script: %s" % facts)
        if by_name != sorted(NAMES):
            fail("sorting by name gave %s" % by_name)
        if by_name_again != sorted(NAMES, reverse=True):
            fail("sorting by name again gave %s" % by_name_again)
        want_fails = ["mike", "yankee"] + sorted(n for n in NAMES if n not in FAILS)
        if by_fails != want_fails:
            fail("sorting by failures gave %s, want %s" % (by_fails, want_fails))
        print("ok: %d targets x %d checks, cells match report.json, sorting works; no console "
              "errors; screenshot %s" % (len(NAMES), len(checks), png))
    finally:
        for s in listeners:
            s.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
