// The bytes of a payload being put, held until its key is known (internal). An S3 object is
// named before its first byte is sent, and the key is complete only after the last one: the
// payload waits in an anonymous temporary file (bounded memory, spec 10.1) that vanishes with
// the process, and is hashed with SHA-256 on the way in for the signed x-amz-content-sha256.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "casblob/io.hpp"

namespace casblob::s3 {

class Spool {
 public:
  static Result<Spool> create();  // in $TMPDIR, else /tmp
  Spool(Spool&&) noexcept;
  Spool& operator=(Spool&&) = delete;
  ~Spool();
  Status write(ByteView data);
  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buf) const;
  std::uint64_t size() const { return size_; }
  const std::string& sha256_hex();  // of everything written; no write after the first call

 private:
  Spool(int fd, void* sha) : fd_(fd), sha_(sha) {}
  int fd_ = -1;
  void* sha_ = nullptr;  // EVP_MD_CTX
  std::uint64_t size_ = 0;
  std::string hex_;
};

}  // namespace casblob::s3
