"""Headless Chromium over the DevTools protocol, for the HTML report tests.

Debian's `chromium`, driven with python3-websocket, on loopback only. Shared by
html_chromium_test.py (the demo's report) and html_fleet_chromium_test.py (a
fleet's matrix).
"""
import base64
import json
import re
import subprocess
import sys
import time
import urllib.request

import websocket

DEADLINE_S = 60  # any one wait on the browser


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def start_chromium(profile, size="1280,1600"):
    proc = subprocess.Popen(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-sync",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         "--user-data-dir=" + profile, "--window-size=" + size, "about:blank"],
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

    def evaluate(self, expression):
        """The value of a JS expression that returns a JSON string."""
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in res:
            fail("evaluate: %s" % res["exceptionDetails"])
        return json.loads(res["result"]["value"])

    def open(self, path):
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable")
        self.call("Page.navigate", url="file://" + path)
        self.wait_event("Page.loadEventFired")

    def save_screenshot(self, path, **params):
        """The page as a PNG at `path` (a CI artifact)."""
        shot = self.call("Page.captureScreenshot", format="png", **params)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path

    def console_errors(self):
        """Errors and warnings logged so far: script errors, CSP violations,
        blocked loads. One more round trip first: a CSP report comes late."""
        self.call("Runtime.evaluate", expression="1")
        errors = []
        for e in self.events:
            p = e.get("params", {})
            if e.get("method") == "Runtime.exceptionThrown":
                errors.append(p["exceptionDetails"].get("text", "exception"))
            elif e.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(str(p.get("args")))
            elif e.get("method") == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
                errors.append("%s: %s" % (p["entry"].get("source"), p["entry"].get("text")))
        return errors
