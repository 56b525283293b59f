#!/usr/bin/python3
"""Conformance checks of the vantage lab against python3-librouteros (Debian).

librouteros is an independent RouterOS API client; each check drives the lab
with it and exits non-zero with a message when the lab does not behave like
RouterOS. Passwords come from the environment (LAB_PEER_PASSWORD,
LAB_PEER_AUDIT_PASSWORD), never from argv.

usage: librouteros_peer.py CHECK --port P --mode plain|tls|adh [--ca FILE] [--server-name N]
"""
import argparse
import os
import ssl
import sys

import librouteros
from librouteros.exceptions import TrapError
from librouteros.query import Key, Or


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def wrapper(args):
    if args.mode == "plain":
        return lambda s: s
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if args.mode == "tls":
        ctx.load_verify_locations(args.ca)
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
        return lambda s: ctx.wrap_socket(s, server_hostname=args.server_name)
    # certificate=none on RouterOS: anonymous DH, nothing to verify.
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("ADH:@SECLEVEL=0")
    return lambda s: ctx.wrap_socket(s)


def connect(args, user="admin", password=None):
    if password is None:
        password = os.environ["LAB_PEER_PASSWORD"]
    return librouteros.connect(host="127.0.0.1", username=user, password=password,
                               port=args.port, ssl_wrapper=wrapper(args), timeout=5)


def check_tls(args, api):
    if args.mode == "plain":
        return
    sock = api.protocol.transport.sock
    cipher, version, _ = sock.cipher()
    print("negotiated", version, cipher)
    if args.mode == "adh" and not cipher.startswith("ADH-"):
        fail("certificate none must negotiate an anonymous DH suite, got " + cipher)
    if args.mode == "adh" and version != "TLSv1.2":
        fail("ADH exists only up to TLS 1.2, got " + version)
    if args.mode == "tls":
        cert = sock.getpeercert()
        if not cert:
            fail("no verified peer certificate")


def login_ok(args):
    api = connect(args)
    check_tls(args, api)
    rows = list(api.path("system", "identity"))
    if rows != [{"name": "lab-rtr"}]:
        fail("identity print returned %r" % rows)
    api.close()


def login_fail(args):
    try:
        connect(args, password="definitely-wrong")
    except TrapError as e:
        if str(e) != "invalid user name or password (6)":
            fail("wrong failure text %r" % str(e))
        return
    fail("a wrong password logged in")


def print_query(args):
    api = connect(args)
    rows = list(api.path("user").select(Key("name"), Key("group")).where(Key("group") == "audit"))
    if rows != [{"name": "audit", "group": "audit"}]:
        fail("?=group=audit returned %r" % rows)
    rows = list(api.path("user").select(Key("name")).where(
        Or(Key("name") == "admin", Key("name") == "audit")))
    if sorted(r["name"] for r in rows) != ["admin", "audit"]:
        fail("?#| query returned %r" % rows)
    rows = list(api.path("user").select(Key("name")).where(Key("name") == "nobody"))
    if rows != []:
        fail("an empty print returned %r" % rows)
    rows = list(api.path("ip", "service").select(Key("name"), Key("disabled")).where(
        Key("name") == args.service))
    if rows != [{"name": args.service, "disabled": False}]:
        fail("/ip/service print for %s returned %r" % (args.service, rows))
    api.close()


def tagged(args):
    api = connect(args)
    proto = api.protocol
    # librouteros's dict parsing cannot hold ".tag", so use its raw sentence layer.
    proto.writeSentence("/system/identity/print", ".tag=42")
    proto.writeSentence("/system/routerboard/print", ".tag=43")
    replies = []
    done = set()
    while len(done) < 2:
        word, words = proto.readSentence()
        replies.append((word, words))
        if word == "!done":
            done.update(w for w in words if w.startswith(".tag="))
    if done != {".tag=42", ".tag=43"}:
        fail("missing !done for a tag: %r" % replies)
    for word, words in replies:
        if not any(w in (".tag=42", ".tag=43") for w in words):
            fail("reply without .tag: %r %r" % (word, words))
    traps = [w for word, words in replies if word == "!trap" for w in words if w.startswith("=message=")]
    if traps != ["=message=no such command or directory (routerboard)", "=message=no such command prefix"]:
        fail("unknown menu traps were %r" % traps)
    api.close()


def write_denied(args):
    api = connect(args, user="audit", password=os.environ["LAB_PEER_AUDIT_PASSWORD"])
    try:
        tuple(api.path("system", "identity")("set", name="lab-rtr"))
    except TrapError as e:
        if str(e) != "not enough permissions (9)":
            fail("wrong permission text %r" % str(e))
        return
    fail("a read-only user could write")


def versions(args):
    """Which TLS versions the service accepts, one handshake per version."""
    import socket
    accepted = []
    for name in ("TLSv1", "TLSv1_1", "TLSv1_2", "TLSv1_3"):
        v = getattr(ssl.TLSVersion, name)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_ciphers(("ADH" if args.mode == "adh" else "ALL") + ":@SECLEVEL=0")
        ctx.minimum_version = v
        ctx.maximum_version = v
        try:
            with socket.create_connection(("127.0.0.1", args.port), timeout=5) as s:
                with ctx.wrap_socket(s):
                    accepted.append(name.replace("_", "."))
        except (ssl.SSLError, OSError):
            pass
    if accepted != args.expect.split(","):
        fail("accepted %r, expected %s" % (accepted, args.expect))


def adh_only(args):
    """certificate=none serves anonymous suites only: a client that insists on
    an authenticated suite gets no handshake."""
    import socket
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:!aNULL:@SECLEVEL=0")
    try:
        with socket.create_connection(("127.0.0.1", args.port), timeout=5) as s:
            with ctx.wrap_socket(s) as t:
                fail("an authenticated-only client negotiated %r" % (t.cipher(),))
    except (ssl.SSLError, OSError) as e:
        print("refused as expected:", type(e).__name__)


CHECKS = {"versions": versions, "adh-only": adh_only, "login-ok": login_ok, "login-fail": login_fail, "print-query": print_query,
          "tagged": tagged, "write-denied": write_denied}

if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("check", choices=sorted(CHECKS))
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--mode", choices=["plain", "tls", "adh"], required=True)
    p.add_argument("--ca")
    p.add_argument("--server-name", default="lab-rtr.test")
    p.add_argument("--service", default="api")
    p.add_argument("--expect", default="")
    a = p.parse_args()
    CHECKS[a.check](a)
    print("OK", a.check, a.mode)
