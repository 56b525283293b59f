#include "tls/trust_cache.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <map>
#include <mutex>

#include "core/error.hpp"

namespace vantage::tls {

void X509StoreFree::operator()(x509_store_st* p) const {
  X509_STORE_free(p);
}

namespace {

// Bounded: a run has a handful of settings; a pathological one starts over.
constexpr std::size_t kMaxEntries = 64;

// The file as it is now; a file that cannot be stat'ed gets a key of its own
// that is never reused, so its error is reported by whoever reads it.
std::string file_identity(const std::string& path) {
  if (path.empty()) return "<system store>";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return fmt::format("{}\n{}:{}:{}:{}.{}", path, st.st_dev, st.st_ino, st.st_size,
                     st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

template <typename Ptr, typename UpRef>
class Cache {
 public:
  template <typename Build>
  Ptr get(const std::string& key, Build&& build, UpRef up_ref) {
    {
      std::lock_guard lock(mu_);
      if (auto it = map_.find(key); it != map_.end()) return share(it->second.get(), up_ref);
    }
    Ptr made = build();  // outside the lock: reading a CA bundle takes a while
    std::lock_guard lock(mu_);
    if (map_.size() >= kMaxEntries) map_.clear();
    auto [it, inserted] = map_.emplace(key, std::move(made));
    return share(it->second.get(), up_ref);
  }

 private:
  static Ptr share(typename Ptr::pointer p, UpRef up_ref) {
    up_ref(p);
    return Ptr(p);
  }
  std::mutex mu_;
  std::map<std::string, Ptr> map_;
};

using CtxCache = Cache<SslCtxPtr, int (*)(SSL_CTX*)>;
using StoreCache = Cache<X509StorePtr, int (*)(X509_STORE*)>;

}  // namespace

SslCtxPtr shared_client_ctx(const std::string& key, const std::string& ca_file,
                            const std::function<SslCtxPtr()>& build) {
  const std::string id = file_identity(ca_file);
  if (!ca_file.empty() && id.empty()) return build();  // unreadable: let build() say why
  static CtxCache cache;
  return cache.get(key + "\n" + id, build, &SSL_CTX_up_ref);
}

X509StorePtr shared_trust_store(const std::string& ca_file) {
  auto build = [&] {
    X509StorePtr store(X509_STORE_new());
    const int ok = ca_file.empty() ? X509_STORE_set_default_paths(store.get())
                                   : X509_STORE_load_file(store.get(), ca_file.c_str());
    if (ok != 1)
      throw Error(fmt::format("cannot load CA file '{}': {}", ca_file, openssl_errors()));
    return store;
  };
  const std::string id = file_identity(ca_file);
  if (!ca_file.empty() && id.empty()) return build();
  static StoreCache cache;
  return cache.get(id, build, &X509_STORE_up_ref);
}

}  // namespace vantage::tls
