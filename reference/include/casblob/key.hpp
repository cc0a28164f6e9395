// The CAS key: lowercase hex SHA-1 of the uncompressed bytes (spec 3).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "casblob/io.hpp"

namespace casblob {

// Exactly 40 characters of [0-9a-f]. Anything else is rejected before it touches a path
// (spec 3.2, R-KEY-2): no uppercase, no "..", no separators.
bool is_valid_key(std::string_view key) noexcept;

// "<prefix>/<key[:2]>/<key>"; the key must be valid (checked by the caller).
std::string object_path(std::string_view prefix, std::string_view key);

// Incremental SHA-1 (OpenSSL EVP).
class Sha1 {
 public:
  Sha1();
  ~Sha1();
  Sha1(Sha1&&) noexcept;
  Sha1& operator=(Sha1&&) noexcept;
  void update(ByteView data);
  std::array<std::uint8_t, 20> digest();  // finalises; call once
  std::string hex_digest();               // finalises; call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha1_hex(ByteView data);
std::string to_hex(ByteView data);

// A Sink that hashes what passes through it, then forwards to `next` (may be null).
class HashingSink final : public Sink {
 public:
  explicit HashingSink(Sink* next) : next_(next) {}
  Status write(ByteView data) override;
  std::string hex_digest() { return sha1_.hex_digest(); }
  std::uint64_t count() const { return count_; }

 private:
  Sink* next_;
  Sha1 sha1_;
  std::uint64_t count_ = 0;
};

}  // namespace casblob
