#!/usr/bin/python3
"""Logs in to a RouterOS API with python3-librouteros (an independent client),
over plain TCP or TLS, runs one command, and prints what TLS negotiated.

usage: librouteros_login.py HOST PORT plain|tls
The user is VANTAGE_TEST_USER (default admin); the password comes only from
VANTAGE_TEST_PASSWORD, never argv.
"""
import os
import ssl
import sys

import librouteros


def main():
    host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    wrap = lambda s: s
    if mode == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # the lab's self-signed CA; the test is about the wire
        wrap = lambda s: ctx.wrap_socket(s)
    api = librouteros.connect(host=host, username=os.environ.get("VANTAGE_TEST_USER", "admin"),
                              password=os.environ["VANTAGE_TEST_PASSWORD"], port=port,
                              ssl_wrapper=wrap, timeout=5)
    if mode == "tls":
        cipher, version, _ = api.protocol.transport.sock.cipher()
        print("negotiated", version, cipher)
    identity = tuple(api("/system/identity/print"))
    print("identity", identity[0].get("name") if identity else "?")
    api.close()


if __name__ == "__main__":
    main()
