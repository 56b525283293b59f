#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/TARGET (run from anywhere; idempotent).

Seeds are small, valid inputs in each target's input format, so the fuzzer
starts deep inside the parsers: RouterOS vectors from the protocol facts,
hand-built TLS records, small pcap/pcapng captures, HTTP responses and the
repository's own scenarios, policies and lab configs.
"""
import re
import hashlib, os, struct, subprocess, tempfile, pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"


def put(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def word(w):
    w = w.encode() if isinstance(w, str) else w
    n = len(w)
    if n < 0x80:
        p = bytes([n])
    elif n < 0x4000:
        p = struct.pack(">H", n | 0x8000)
    else:
        p = struct.pack(">I", n | 0xC00000)[1:]
    return p + w


def sentence(*words):
    return b"".join(word(w) for w in words) + b"\0"


def pieces(stream, size=255):
    """The `take(1 + byte())` framing the session/decoder targets read."""
    out = b""
    for i in range(0, len(stream), size):
        chunk = stream[i:i + size]
        out += bytes([len(chunk) - 1]) + chunk
    return out


LOGIN = sentence("/login", "=name=admin", "=password=secret")
assert LOGIN.hex() == ("062f6c6f67696e0b3d6e616d653d61646d696e10"
                       "3d70617373776f72643d73656372657400")
SESSION = [
    LOGIN + sentence("/system/identity/print") + sentence("/ip/service/print", ".tag=3"),
    sentence("/login") + sentence("/login", "=name=admin",
                                  "=response=005062f7a5ef124d34675bf3e81f56c556"),
    LOGIN + sentence("/log/listen", ".tag=7") + sentence("/cancel", "=tag=7") + sentence("/quit"),
    LOGIN + sentence("/user/print", "?name=admin", "?#|", "=.proplist=name,group"),
    LOGIN + sentence("/ip/firewall/filter/print") + sentence("/ip/firewall/address-list/print"),
    sentence("/system/resource/print"),
    LOGIN + sentence("/interface/print", "=count-only="),
]


def routeros():
    for s in SESSION:
        put("lab_api_session", pieces(s))
        put("routeros_decoder", b"\x00" + pieces(s))
        put("routeros_decoder", b"\x10" + pieces(s, 7))
    for hexs in ["7f", "8080", "8087", "812c", "bfff", "c04000", "c04321", "dffff4", "e0200000",
                 "e02acdef", "efffffff", "f010000000", "f010000080", "f1", "f8"]:
        put("routeros_decoder", b"\x10" + pieces(bytes.fromhex(hexs) + b"abc\0"))
    put("routeros_decoder", b"\x10" + pieces(bytes.fromhex(
        "06 21666174616c 0d 6e6f74206c6f6767656420696e 00".replace(" ", ""))))
    # roundtrip: word count, then (len, bytes) pairs
    put("routeros_roundtrip", b"\x02\x06/login\x0b=name=admin\x10=password=secret")
    put("routeros_roundtrip", b"\x00\xf1" + b"\x20" + b"A" * 400)
    # redact_agreement: word count, then (kind|len<<2, bytes), then segment sizes
    put("redact_agreement", bytes([2, 3 + (5 << 2)]) + b"admin" + bytes([0 + (6 << 2)]) +
        b"secret" + bytes([3, 1 + (8 << 2)]) + b"00abcdef" + bytes([5, 9, 1, 30]))


def tls_record(ctype, body, version=0x0303):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def hs(msg, body):
    return struct.pack(">B", msg) + struct.pack(">I", len(body))[1:] + body


def server_hello(version=0x0303, suite=0xC02F, exts=b""):
    body = struct.pack(">H", version) + bytes(range(32)) + b"\x20" + b"\x11" * 32
    body += struct.pack(">HB", suite, 0)
    if exts:
        body += struct.pack(">H", len(exts)) + exts
    return hs(2, body)


def ext(t, data):
    return struct.pack(">HH", t, len(data)) + data


def der_cert():
    with tempfile.TemporaryDirectory() as d:
        key, crt = os.path.join(d, "k"), os.path.join(d, "c")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", crt,
                        "-outform", "DER", "-days", "30", "-subj", "/CN=router.example",
                        "-addext", "subjectAltName=DNS:router.example,IP:192.0.2.1",
                        "-addext", "extendedKeyUsage=serverAuth"],
                       check=True, capture_output=True)
        return pathlib.Path(crt).read_bytes()


def tls():
    cert = der_cert()
    certs = struct.pack(">I", len(cert) + 3)[1:] + struct.pack(">I", len(cert))[1:] + cert
    ske = b"\x03\x00\x17\x41\x04" + b"\x22" * 64 + b"\x04\x03\x00\x02\x30\x00"
    flight12 = server_hello() + hs(11, certs) + hs(12, ske) + hs(14, b"")
    hrr_random = hashlib.sha256(b"HelloRetryRequest").digest()
    hrr = bytearray(server_hello(0x0303, 0x1301, ext(43, b"\x03\x04") + ext(51, b"\x00\x17")))
    hrr[6:38] = hrr_random
    seeds = [
        tls_record(22, flight12),
        tls_record(22, flight12[:40]) + tls_record(22, flight12[40:]),  # split across records
        tls_record(22, server_hello(0x0303, 0x1301, ext(43, b"\x03\x04") +
                                    ext(51, b"\x00\x1d\x00\x20" + b"\x33" * 32))),
        tls_record(22, bytes(hrr)),
        tls_record(21, b"\x02\x28"),  # fatal handshake_failure
        tls_record(21, b"\x02\x46", 0x0300),  # protocol_version, SSLv3 record
        tls_record(22, server_hello(0x0300, 0x000A) + hs(14, b""), 0x0300),
        tls_record(22, server_hello(0x0303, 0x009E) + hs(12, b"\x00\x02\xff\xfb\x00\x01\x02\x00\x01\x05")
                   + hs(14, b"")),
        b"HTTP/1.1 400 Bad Request\r\n\r\n",
    ]
    for s in seeds:
        put("tls_server_flight", s)
        put("tls_scanner_hello", s)


def pcap(frames, dlt=101):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, dlt)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + i, 0, len(f), len(f)) + f
    return out


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def block(btype, body):
    body = pad4(body)
    n = len(body) + 12
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng(frames_by_if, dlts):
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for dlt in dlts:
        out += block(1, struct.pack("<HHI", dlt, 0, 262144) +
                     struct.pack("<HHB", 9, 1, 6) + b"\0\0\0" + b"\0\0\0\0")
    t = 1700000000 * 1000000
    for ifid, f in frames_by_if:
        t += 1000
        out += block(6, struct.pack("<IIIII", ifid, t >> 32, t & 0xFFFFFFFF, len(f), len(f)) + f)
    return out


def ip_tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 65535, 0, 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                     bytes(src), bytes(dst)) + tcp
    return ip


def conversation(dport, client_bytes, server_bytes):
    c, s = [192, 0, 2, 1], [192, 0, 2, 2]
    cs, ss = 1000, 5000
    fr = [ip_tcp(c, s, 40000, dport, cs, 0, 0x02), ip_tcp(s, c, dport, 40000, ss, cs + 1, 0x12),
          ip_tcp(c, s, 40000, dport, cs + 1, ss + 1, 0x10)]
    cs, ss = cs + 1, ss + 1
    for cb, sb in zip(client_bytes, server_bytes):
        if cb:
            fr.append(ip_tcp(c, s, 40000, dport, cs, ss, 0x18, cb))
            cs += len(cb)
        if sb:
            fr.append(ip_tcp(s, c, dport, 40000, ss, cs, 0x18, sb))
            ss += len(sb)
    fr.append(ip_tcp(c, s, 40000, dport, cs, ss, 0x11))
    return fr


def captures():
    flight = tls_record(22, server_hello() + hs(14, b""))
    chello = tls_record(22, hs(1, struct.pack(">H", 0x0303) + bytes(32) + b"\0\0\x02\xc0\x2f\x01\x00"),
                        0x0301)
    convs = [
        conversation(8728, [LOGIN[:9], LOGIN[9:], sentence("/quit")],
                     [b"", sentence("!done"), sentence("!fatal", "session terminated on request")]),
        conversation(8728, [sentence("/login"), sentence("/login", "=name=admin",
                     "=response=005062f7a5ef124d34675bf3e81f56c556")],
                     [sentence("!done", "=ret=856780b7411eefd3abadee2058c149a3"), sentence("!done")]),
        conversation(8729, [chello], [flight]),
        conversation(80, [b"GET /rest/system/identity HTTP/1.1\r\nHost: r\r\n"
                          b"Authorization: Basic YWRtaW46c2VjcmV0\r\n\r\n"],
                     [b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"]),
    ]
    eth = bytes(12) + b"\x08\x00"
    for fr in convs:
        put("capture_pcap", pcap(fr))                                    # DLT_RAW
        put("capture_pcap", pcap([eth + f for f in fr], 1))              # Ethernet
        put("capture_pcap", pcapng([(0, eth + f) for f in fr], [1]))
        put("capture_pcapng", pcapng([(0, eth + f) for f in fr], [1]))
        # two interfaces with different link types: libpcap stops, vantage reads on
        mixed = [(i % 2, (eth + f) if i % 2 == 0 else f) for i, f in enumerate(fr)]
        put("capture_pcap", pcapng(mixed, [1, 101]))
        put("capture_pcapng", pcapng(mixed, [1, 101]))
    put("capture_pcapng", pcapng([], [1]) + block(3, struct.pack("<I", 4) + b"abcd"))


def http():
    for shape, resp in [
        (0, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n"
            b'[{"name":"router","x":"1"}]'),
        (0, b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\n"
            b"Content-Length: 0\r\n\r\n"),
        (1, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{}{}\r\n0\r\n\r\n"),
        (2, b"HTTP/1.1 301 Moved\r\nLocation: https://192.0.2.1/\r\n\r\n"),
        (8, b"HTTP/1.0 200 OK\r\n\r\n" + b"x" * 600),
        (4, b"HTTP/1.1 204 No Content\r\n\r\n"),
    ]:
        put("rest_http_response", bytes([shape, 0xFF]) + resp)


def configs():
    for p in (ROOT / "scenarios").glob("*.json"):
        if p.name != "schema.json":
            put("scenario_loader", p.read_bytes())
            put("scenario_loader", b"target=192.0.2.7\nport=8729\n--\n" + p.read_bytes())
            put("json_locate", b"\x03\x06checks\x80\x06expect" + p.read_bytes())
    for p in (ROOT / "policies").glob("*.json"):
        if b'"vantage_tls_policy"' in p.read_bytes():  # the TLS policy parser's
            put("config_policy", p.read_bytes())
    for p in (ROOT / "lab" / "configs").glob("*.json"):
        put("config_lab", p.read_bytes())
        put("json_locate", b"\x02\x05users\x81" + p.read_bytes())
    put("json_locate", b"\x01\x01a/* c */{\"a\": [1, // x\n {\"b\": 2}]}")


def inventories():
    # docs/fleet.md's examples, one per fenced block; the first byte picks the
    # format as fuzz/fleet_inventory.cpp does (0 csv, 1 json, 2 yaml, 3 ini).
    kinds = {"csv": 0, "json": 1, "yaml": 2, "ini": 3}
    text = (ROOT / "docs" / "fleet.md").read_text()
    for lang, body in re.findall(r"```(csv|json|yaml|ini)\n(.*?)```", text, re.S):
        put("fleet_inventory", bytes([kinds[lang]]) + body.encode())
    put("fleet_inventory", b"\x00name,host,groups\nr1,192.0.2.1,core edge\n\"r,2\",192.0.2.2,\n")
    put("fleet_inventory", b"\x03[core]\nr1 ansible_host=192.0.2.1\n[all:children]\ncore\n")


if __name__ == "__main__":
    routeros()
    tls()
    captures()
    http()
    configs()
    inventories()
