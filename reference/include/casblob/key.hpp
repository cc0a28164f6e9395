// The CAS key: lowercase hex SHA-1 of the uncompressed bytes (spec 3).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "casblob/io.hpp"

struct SHAstate_st;  // <openssl/sha.h>: SHA_CTX

namespace casblob {

// Exactly 40 characters of [0-9a-f]. Anything else is rejected before it touches a path
// (spec 3.2, R-KEY-2): no uppercase, no "..", no separators.
bool is_valid_key(std::string_view key) noexcept;

// "<prefix>/<key[:2]>/<key>"; the key must be valid (checked by the caller).
std::string object_path(std::string_view prefix, std::string_view key);

// Incremental SHA-1 (OpenSSL EVP). Never throws, never fails silently: a failure of OpenSSL
// (no SHA-1 provider, out of memory) is an io_error from update() and again from digest(),
// whichever comes first. The algorithm is fetched once per process (EVP_MD_fetch), and a
// Sha1 can be reused for message after message with its digest context (reset()), which is
// what a long-lived owner (a batch reader, an audit) does: a fresh EVP context costs
// 0.5-0.9 us per blob, a reused one nothing (issue 19).
class Sha1 {
 public:
  using Digest = std::array<std::uint8_t, 20>;
  Sha1() noexcept = default;  // the context is made by the first call that can report an error
  ~Sha1();
  Sha1(Sha1&& other) noexcept;
  Sha1& operator=(Sha1&& other) noexcept;
  // Errors are sticky: once a call fails, every later call reports the same error.
  Status update(ByteView data);
  // Finalises the message; the Sha1 then starts a new, empty one.
  Result<Digest> digest();
  Result<std::string> hex_digest();
  // Starts a new message (discards what was hashed and any error), keeping the context.
  void reset() noexcept;

 private:
  Status start();
  Status fail(const char* what);
  SHAstate_st* ctx_ = nullptr;  // OpenSSL's SHA_CTX, made by the first call that can report an error
  bool started_ = false;          // SHA1_Init done for the current message
  Status error_;
};

Result<std::string> sha1_hex(ByteView data);
std::string to_hex(ByteView data);
void to_hex(ByteView data, char* out) noexcept;  // 2 * data.size() characters, no NUL

// A SHA-1 as a key spells it (40 lowercase hex digits), kept as its 20 bytes and spelled only
// when asked: the digest of a decoded blob (DecodeInfo::sha1) costs neither an allocation nor
// the spelling when nobody reads it (a 40-character std::string was ~10% of a 234-byte raw
// read). Empty until set. Compares with strings (spelled on the stack); str() makes one.
class HexDigest {
 public:
  HexDigest() noexcept = default;
  explicit HexDigest(const Sha1::Digest& d) noexcept : digest_(d), set_(true) {}
  bool empty() const noexcept { return !set_; }
  const Sha1::Digest& digest() const noexcept { return digest_; }  // zeros when empty
  std::string str() const;
  friend bool operator==(const HexDigest& a, const HexDigest& b) noexcept {
    return a.set_ == b.set_ && a.digest_ == b.digest_;
  }
  friend bool operator==(const HexDigest& a, std::string_view b) noexcept;
  friend std::ostream& operator<<(std::ostream& os, const HexDigest& h) { return os << h.str(); }

 private:
  Sha1::Digest digest_{};
  bool set_ = false;
};

// The 20 bytes a valid key spells (is_valid_key and the parse in one pass); nullopt for
// anything that is not a key.
std::optional<Sha1::Digest> key_digest(std::string_view key) noexcept;

// A Sink that hashes what passes through it, then forwards to `next` (may be null).
class HashingSink final : public Sink {
 public:
  explicit HashingSink(Sink* next) : next_(next) {}
  Status write(ByteView data) override;
  Result<std::string> hex_digest() { return sha1_.hex_digest(); }
  std::uint64_t count() const { return count_; }
  // Starts over for the next blob, keeping the digest context.
  void reset(Sink* next) noexcept {
    next_ = next;
    sha1_.reset();
    count_ = 0;
  }

 private:
  Sink* next_;
  Sha1 sha1_;
  std::uint64_t count_ = 0;
};

}  // namespace casblob
