#!/usr/bin/python3
"""The HTML report of a real run (`vantage demo`), rendered in headless Chromium.

Asserts on the DOM, not the text: the count pills equal the JSON report's
counts, every failed check is in the "What to fix" panel, the page loaded its
style sheet (the CSP hash admits it), and the console has no errors: a CSP
violation, a blocked fetch or a script error all count. Saves a screenshot.

Driven over the DevTools protocol (chromium_page.py), on loopback only.
Usage: html_chromium_test.py VANTAGE_BINARY OUT_DIR (the screenshot is
OUT_DIR/report.png).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from chromium_page import Page, fail, start_chromium  # noqa: E402


# Facts about the DOM, collected in the page (the demo's report, one target,
# has no script).
DOM_FACTS = r"""JSON.stringify({
  counts: Object.fromEntries([...document.querySelectorAll('.summary .pill')].map(
      p => [p.id, parseInt(p.textContent, 10)])),
  fixChecks: [...document.querySelectorAll('#fix li')].flatMap(
      li => li.dataset.checks.split(' ')),
  fixPanelFirst: document.querySelector('#fix') !== null &&
      document.querySelector('#fix').compareDocumentPosition(
          document.querySelector('section:not(#fix):not(#fleet)')) === Node.DOCUMENT_POSITION_FOLLOWING,
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
            page.open(html)
            facts = page.evaluate(DOM_FACTS)
            png = page.save_screenshot(os.path.join(out_dir, "report.png"), captureBeyondViewport=True)
            errors = page.console_errors()
        finally:
            browser.kill()
            browser.wait(timeout=10)

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
