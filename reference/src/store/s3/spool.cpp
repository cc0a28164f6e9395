#include "store/s3/spool.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <utility>

#include "casblob/key.hpp"
#include "common/os_error.hpp"

namespace casblob::s3 {

Result<Spool> Spool::create() {
  const char* dir = std::getenv("TMPDIR");
  std::string d = dir && *dir ? dir : "/tmp";
  int fd = ::open(d.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {  // a filesystem without O_TMPFILE: a named file, unlinked at once
    std::string name = d + "/.casblob-s3-spool-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return detail::os_error("cannot create a temporary file in", d, errno, Errc::io_error);
    ::unlink(name.c_str());
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx);
    ::close(fd);
    return Error(Errc::io_error, "cannot start SHA-256 (OpenSSL)");
  }
  return Spool(fd, ctx);
}

Spool::Spool(Spool&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), sha_(std::exchange(o.sha_, nullptr)), size_(o.size_), hex_(std::move(o.hex_)) {}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(sha_));
}

Status Spool::write(ByteView data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(sha_), data.data(), data.size());
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(size_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return detail::os_error("cannot write the upload spool", "(temporary file)", errno, Errc::io_error);
    done += static_cast<std::size_t>(n);
  }
  size_ += data.size();
  return {};
}

Result<std::size_t> Spool::read_at(std::uint64_t offset, std::span<std::uint8_t> buf) const {
  for (;;) {
    ssize_t n = ::pread(fd_, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return detail::os_error("cannot read the upload spool", "(temporary file)", errno, Errc::io_error);
    return static_cast<std::size_t>(n);
  }
}

const std::string& Spool::sha256_hex() {
  if (hex_.empty()) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(sha_), md, &len);
    hex_ = to_hex(ByteView(md, len));
  }
  return hex_;
}

}  // namespace casblob::s3
