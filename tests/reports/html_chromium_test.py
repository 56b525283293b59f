#!/usr/bin/python3
"""The HTML report of a real run (`vantage demo`), rendered in headless Chromium.

Asserts on the DOM, not the text: the count pills equal the JSON report's
counts, every failed check is in the "What to fix" panel, the page loaded its
style sheet (the CSP hash admits it), and the console has no errors: a CSP
violation, a blocked fetch or a script error all count. Saves a screenshot.

Driven over the DevTools protocol (python3-websocket, Debian), on loopback
only. Usage: html_chromium_test.py VANTAGE_BINARY OUT_DIR (the screenshot is
OUT_DIR/report.png).
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

DEADLINE_S = 60  # the whole browser part; the demo has its own timeouts


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def start_chromium(profile):
    proc = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-sync",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         "--user-data-dir=" + profile, "--window-size=1280,1600", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    end = time.monotonic() + 30
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    fail("chromium did not start its DevTools endpoint")


class Page:
    def __init__(self, port):
        with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10) as r:
            pages = [t for t in json.load(r) if t.get("type") == "page"]
        if not pages:
            fail("chromium has no page")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=10)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        end = time.monotonic() + DEADLINE_S
        while time.monotonic() < end:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    fail("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)
        fail(method + " got no answer")

    def wait_event(self, name):
        end = time.monotonic() + DEADLINE_S
        while time.monotonic() < end:
            if any(e.get("method") == name for e in self.events):
                return
            self.events.append(json.loads(self.ws.recv()))
        fail("no " + name)


# Facts about the DOM, collected in the page (the report itself has no script).
DOM_FACTS = r"""JSON.stringify({
  counts: Object.fromEntries([...document.querySelectorAll('.summary .pill')].map(
      p => [p.id, parseInt(p.textContent, 10)])),
  fixChecks: [...document.querySelectorAll('#fix li')].flatMap(
      li => li.dataset.checks.split(' ')),
  fixPanelFirst: document.querySelector('#fix') !== null &&
      document.querySelector('#fix').compareDocumentPosition(
          document.querySelector('section:not(#fix)')) === Node.DOCUMENT_POSITION_FOLLOWING,
  failedRows: [...document.querySelectorAll('tr.fail')].map(tr => tr.dataset.check),
  badgeColour: getComputedStyle(document.querySelector('.pill.fail') ||
      document.querySelector('.pill')).backgroundColor,
  rawJson: [...document.querySelectorAll('.expect')].filter(
      e => /[{}\[\]"]/.test(e.textContent)).map(e => e.textContent),
  expectations: document.querySelectorAll('.expect').length,
  rows: document.querySelectorAll('tbody tr').length,
})"""


def main():
    vantage, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="vantage-html-")
    try:
        demo = subprocess.run([vantage, "demo", "--no-color", "--report-dir", work],
                              capture_output=True, text=True, timeout=300)
        if demo.returncode != 0:
            fail("vantage demo exited %d:\n%s%s" % (demo.returncode, demo.stdout, demo.stderr))
        report = json.load(open(os.path.join(work, "report.json")))
        html = os.path.join(work, "report.html")

        browser, port = start_chromium(os.path.join(work, "profile"))
        try:
            page = Page(port)
            for domain in ("Page", "Runtime", "Log"):
                page.call(domain + ".enable")
            page.call("Page.navigate", url="file://" + html)
            page.wait_event("Page.loadEventFired")
            facts = json.loads(page.call("Runtime.evaluate", expression=DOM_FACTS,
                                         returnByValue=True)["result"]["value"])
            shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            png = os.path.join(out_dir, "report.png")
            with open(png, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            # Anything logged late (a CSP report comes after load) is in the
            # events read by now or by one more round trip.
            page.call("Runtime.evaluate", expression="1")
            events = page.events
        finally:
            browser.kill()
            browser.wait(timeout=10)

        errors = []
        for e in events:
            p = e.get("params", {})
            if e.get("method") == "Runtime.exceptionThrown":
                errors.append(p["exceptionDetails"].get("text", "exception"))
            elif e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(str(p.get("args")))
            elif e.get("method") == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                errors.append("%s: %s" % (p["entry"].get("source"), p["entry"].get("text")))
        if errors:
            fail("console errors:\n  " + "\n  ".join(errors))

        c = report["counts"]
        want = {"count-total": c["total"], "count-pass": c["pass"], "count-fail": c["fail"],
                "count-error": c["error"], "count-skip": c["skip"]}
        for k, v in want.items():
            if facts["counts"].get(k) != v:
                fail("pill %s shows %s, the JSON report says %s (%s)" % (k, facts["counts"].get(k), v, facts))
        failed = sorted({c["id"] for s in report["scenarios"] for t in s["targets"]
                         for c in t["checks"] if c["verdict"]["status"] == "fail"})
        if not failed:
            fail("the demo is meant to have failures; none in report.json")
        if sorted(set(facts["failedRows"])) != failed:
            fail("failed rows %s differ from report.json's %s" % (facts["failedRows"], failed))
        missing = [f for f in failed if f not in facts["fixChecks"]]
        if missing:
            fail("failed checks missing from the fix panel: %s (panel: %s)" % (missing, facts["fixChecks"]))
        if not facts["fixPanelFirst"]:
            fail("the fix panel is not above the results")
        if facts["badgeColour"] != "rgb(207, 34, 46)":
            fail("the style sheet did not apply (CSP hash?): fail pill is %s" % facts["badgeColour"])
        if facts["expectations"] != facts["rows"] or facts["rawJson"]:
            fail("expectations not all in words: %d of %d rows, raw: %s" %
                 (facts["expectations"], facts["rows"], facts["rawJson"]))
        print("ok: %d checks, %d failed, all in the fix panel; no console errors; screenshot %s"
              % (c["total"], len(failed), png))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
