#!/usr/bin/python3
"""Drives the lab's REST API (www / www-ssl) with Python's own HTTP client.

usage: rest_peer.py URL [--ca FILE] [--auth-env VAR] --expect-status N [--expect-json JSON]
The password comes from the environment variable named by --auth-env (user:password).
"""
import argparse
import base64
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("--ca")
p.add_argument("--auth-env")
p.add_argument("--expect-status", type=int, required=True)
p.add_argument("--expect-json")
p.add_argument("--expect-content-type")
a = p.parse_args()

req = urllib.request.Request(a.url)
if a.auth_env:
    req.add_header("Authorization", "Basic " + base64.b64encode(os.environ[a.auth_env].encode()).decode())
ctx = None
if a.url.startswith("https:"):
    ctx = ssl.create_default_context(cafile=a.ca)  # verifies the chain and the host name
try:
    with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
        status, body, ctype = r.status, r.read(), r.headers.get("Content-Type")
except urllib.error.HTTPError as e:
    status, body, ctype = e.code, e.read(), e.headers.get("Content-Type")
print(status, ctype, body[:200])
if status != a.expect_status:
    sys.exit("FAIL: status %d, expected %d" % (status, a.expect_status))
if a.expect_content_type and ctype != a.expect_content_type:
    sys.exit("FAIL: content type %r" % ctype)
if a.expect_json is not None and json.loads(body) != json.loads(a.expect_json):
    sys.exit("FAIL: body %r" % body)
print("OK")
