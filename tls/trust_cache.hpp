#pragma once
// What every TLS connection of a run would otherwise rebuild: the client
// SSL_CTX (OpenSSL 3 fetches every algorithm again in SSL_CTX_new) and the
// trust store parsed from a CA file. A fleet run makes thousands of
// connections with a handful of distinct settings, so each is built once per
// run and shared (both are thread-safe once configured, and reference
// counted). A CA file is keyed by its path and its inode, size and mtime:
// an edited file is read again. No session cache: a client SSL_CTX never
// resumes unless told to, so every check does its own full handshake.
#include <functional>
#include <string>

#include "tls/openssl.hpp"

struct x509_store_st;  // X509_STORE

namespace vantage::tls {

struct X509StoreFree {
  void operator()(x509_store_st* p) const;
};
using X509StorePtr = std::unique_ptr<x509_store_st, X509StoreFree>;

// `key` names everything `build` configures; `ca_file` ("" = none or the
// system store) is added to it by content identity. `build` may throw
// (vantage::Error), and nothing is cached then.
SslCtxPtr shared_client_ctx(const std::string& key, const std::string& ca_file,
                            const std::function<SslCtxPtr()>& build);

// The trust anchors of `ca_file`, or of the system store when it is empty.
// Throws vantage::Error when the file cannot be read.
X509StorePtr shared_trust_store(const std::string& ca_file);

}  // namespace vantage::tls
