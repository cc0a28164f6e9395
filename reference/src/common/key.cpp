#include "casblob/key.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace casblob {

bool is_valid_key(std::string_view key) noexcept {
  if (key.size() != 40) return false;
  for (char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string object_path(std::string_view prefix, std::string_view key) {
  std::string p{prefix};
  if (!p.empty() && p.back() != '/') p += '/';
  p.append(key.substr(0, 2)).append("/").append(key);
  return p;
}

struct Sha1::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha1::Sha1() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, EVP_sha1(), nullptr) != 1)
    throw std::runtime_error("OpenSSL SHA-1 unavailable");
}
Sha1::~Sha1() = default;
Sha1::Sha1(Sha1&&) noexcept = default;
Sha1& Sha1::operator=(Sha1&&) noexcept = default;

void Sha1::update(ByteView data) { EVP_DigestUpdate(impl_->ctx, data.data(), data.size()); }

std::array<std::uint8_t, 20> Sha1::digest() {
  std::array<std::uint8_t, 20> out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out.data(), &len);
  return out;
}

std::string Sha1::hex_digest() {
  auto d = digest();
  return to_hex(d);
}

std::string to_hex(ByteView data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(data.size() * 2);
  for (auto b : data) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

std::string sha1_hex(ByteView data) {
  Sha1 h;
  h.update(data);
  return h.hex_digest();
}

Status HashingSink::write(ByteView data) {
  sha1_.update(data);
  count_ += data.size();
  return next_ ? next_->write(data) : Status{};
}

}  // namespace casblob
