#!/usr/bin/python3
"""Generates tls/cipher_suites_data.cpp from the IANA TLS cipher suite names
that Wireshark ships (`tshark -G values`) and the OpenSSL names of the local
`openssl ciphers -stdname`. Run once when the registry grows; the output is
committed, so builds do not need tshark.

    tls/tools/gen_cipher_suites.py > tls/cipher_suites_data.cpp
"""
import re
import subprocess

TLS13 = {0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0x00C6, 0x00C7, 0xC0B4, 0xC0B5}


def iana_suites():
    out = subprocess.run(["tshark", "-G", "values"], capture_output=True, text=True).stdout
    suites = {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 4 or f[0] != "V" or f[1] != "tls.handshake.ciphersuite":
            continue
        code, name = int(f[2]), f[3].strip()
        # Only IANA-registered names; Wireshark also lists vendor and GM/T suites.
        if not name.startswith("TLS_") or "SCSV" in name or code > 0xFFFF:
            continue
        # 0xCC13-15: pre-RFC ChaCha20 drafts; 0xFFxx: private use (not IANA).
        if code in (0x00FF, 0x5600, 0xCC13, 0xCC14, 0xCC15) or code >= 0xFF00 or (code & 0x0F0F) == 0x0A0A:
            continue
        suites.setdefault(code, name)
    return suites


# Names of suites that Debian's OpenSSL 3 no longer builds (RC4, DES, 3DES,
# export), as OpenSSL 1.0.2 printed them, so user files and reports can use them.
LEGACY_OPENSSL = {
    0x0001: "NULL-MD5", 0x0002: "NULL-SHA", 0x0003: "EXP-RC4-MD5", 0x0004: "RC4-MD5",
    0x0005: "RC4-SHA", 0x0006: "EXP-RC2-CBC-MD5", 0x0007: "IDEA-CBC-SHA",
    0x0008: "EXP-DES-CBC-SHA", 0x0009: "DES-CBC-SHA", 0x000A: "DES-CBC3-SHA",
    0x0011: "EXP-EDH-DSS-DES-CBC-SHA", 0x0012: "EDH-DSS-DES-CBC-SHA",
    0x0013: "EDH-DSS-DES-CBC3-SHA", 0x0014: "EXP-EDH-RSA-DES-CBC-SHA",
    0x0015: "EDH-RSA-DES-CBC-SHA", 0x0016: "EDH-RSA-DES-CBC3-SHA", 0x0017: "EXP-ADH-RC4-MD5",
    0x0018: "ADH-RC4-MD5", 0x0019: "EXP-ADH-DES-CBC-SHA", 0x001A: "ADH-DES-CBC-SHA",
    0x001B: "ADH-DES-CBC3-SHA", 0x008A: "PSK-RC4-SHA", 0x008B: "PSK-3DES-EDE-CBC-SHA",
    0xC002: "ECDH-ECDSA-RC4-SHA", 0xC003: "ECDH-ECDSA-DES-CBC3-SHA",
    0xC007: "ECDHE-ECDSA-RC4-SHA", 0xC008: "ECDHE-ECDSA-DES-CBC3-SHA",
    0xC00C: "ECDH-RSA-RC4-SHA", 0xC00D: "ECDH-RSA-DES-CBC3-SHA", 0xC011: "ECDHE-RSA-RC4-SHA",
    0xC012: "ECDHE-RSA-DES-CBC3-SHA", 0xC016: "AECDH-RC4-SHA", 0xC017: "AECDH-DES-CBC3-SHA",
}


def openssl_names():
    out = subprocess.run(["openssl", "ciphers", "-V", "-stdname",
                          "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, text=True).stdout
    names = {}
    for line in out.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- (\S+)", line)
        if m:
            names[int(m.group(1) + m.group(2), 16)] = m.group(4)
    for code, name in LEGACY_OPENSSL.items():
        names.setdefault(code, name)
    return names


MACS = ("SHA384", "SHA256", "SHA", "MD5", "NULL", "OMAC", "IMIT", "L", "S", "SM3", "GOSTR3411")


def split(code, name):
    body = name[4:]
    if code in TLS13:
        kx, auth, rest = "any", "any", body
    elif "_WITH_" in body:
        kxauth, rest = body.split("_WITH_", 1)
        parts = kxauth.split("_")
        export = "EXPORT" in kxauth
        parts = [p for p in parts if not p.startswith("EXPORT")]
        if parts[0] in ("DHE", "ECDHE", "DH", "ECDH") and len(parts) > 1:
            kx, auth = parts[0], parts[1]
        elif parts[0] == "SRP":
            kx, auth = "SRP", parts[2] if len(parts) > 2 else "SRP"
        elif parts[0] in ("RSA", "PSK") and len(parts) > 1 and parts[1] == "PSK":
            kx, auth = "RSA_PSK", "PSK"
        elif parts[0] == "PSK" and len(parts) > 1:
            kx, auth = parts[1], "PSK"
        elif parts[0] == "RSA":
            kx, auth = "RSA", "RSA"
        elif parts[0] == "PSK":
            kx, auth = "PSK", "PSK"
        elif parts[0] == "NULL":
            kx, auth = "NULL", "NULL"
        else:
            kx, auth = parts[0], parts[0]
        if export:
            kx += "_EXPORT"
    else:
        raise SystemExit(f"cannot split {name}")
    # enc / mac: the last token is the MAC (or PRF hash) unless the cipher is CCM.
    toks = rest.split("_")
    if toks[-1] in MACS and not (len(toks) >= 2 and toks[-2] == "CCM"):
        enc, mac = "_".join(toks[:-1]), toks[-1]
    else:
        enc, mac = "_".join(toks), "AEAD"
    if any(a in enc for a in ("GCM", "CCM", "POLY1305", "MGM")):
        mac = "AEAD"
    return kx, auth, enc, mac


def classes(code, name, kx, auth, enc):
    c = []
    if auth in ("anon", "NULL") or kx == "NULL":
        c.append("kAnonymous")
    if enc.startswith("NULL") or enc == "" or code in (0xC0B4, 0xC0B5):
        c.append("kNull")
    if "EXPORT" in name or "_40" in enc:
        c.append("kExport")
    if "RC4" in enc:
        c.append("kRc4")
    if "3DES" in enc:
        c.append("k3des")
    if enc.startswith("DES") or enc.startswith("DES40"):
        c.append("kDes")
    if "CBC" in enc:
        c.append("kCbc")
    ephemeral = kx.startswith(("DHE", "ECDHE", "ECCPWD")) or auth == "anon" or kx == "any"
    if not ephemeral:
        c.append("kNoForwardSecrecy")
    if any(a in enc for a in ("GCM", "CCM", "POLY1305", "MGM")):
        c.append("kAead")
    return " | ".join(c) if c else "0"


def main():
    iana = iana_suites()
    ossl = openssl_names()
    print("// Generated by tls/tools/gen_cipher_suites.py from Wireshark's IANA names and")
    print("// OpenSSL's -stdname table. Edit the generator, not this file.")
    print("// One table row per line:")
    print("// clang-format off")
    print('#include "tls/cipher_suites.hpp"\n')
    print("namespace vantage::tls {\n")
    print("namespace {")
    print("using C = SuiteClass;")
    print("constexpr std::uint32_t kAnonymous = static_cast<std::uint32_t>(C::kAnonymous);")
    for k in ("Null", "Export", "Rc4", "3des", "Des", "Cbc", "NoForwardSecrecy", "Aead"):
        print(f"constexpr std::uint32_t k{k} = static_cast<std::uint32_t>(C::k{k});")
    print("}  // namespace\n")
    print("// code, IANA name, OpenSSL name, kx, auth, enc, mac, TLS 1.3 only, classes")
    print("const std::vector<CipherSuite>& cipher_suites() {")
    print("  static const std::vector<CipherSuite> table = {")
    for code in sorted(iana):
        name = iana[code]
        kx, auth, enc, mac = split(code, name)
        cls = classes(code, name, kx, auth, enc)
        t13 = "true" if code in TLS13 else "false"
        print(f'      {{0x{code:04X}, "{name}", "{ossl.get(code, "")}", "{kx}", "{auth}", '
              f'"{enc}", "{mac}", {t13}, {cls}}},')
    print("  };")
    print("  return table;")
    print("}\n")
    print("}  // namespace vantage::tls")


main()
