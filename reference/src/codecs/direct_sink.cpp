#include "casblob/experimental/direct_sink.hpp"

#include <algorithm>
#include <cstring>
#include <exception>

namespace casblob {

Result<std::span<std::uint8_t>> BytesDirectSink::room(std::size_t n) {
  const std::size_t need = committed_ + n;
  if (need < committed_) return Error(Errc::io_error, "output: size overflow");
  if (out_.size() < need) {
    try {
      // Geometric growth: resize() zeroes only what it adds, once per byte of the vector's life.
      out_.resize(std::max(need, std::min(out_.max_size(), out_.size() + out_.size() / 2)));
    } catch (const std::exception&) {
      return Error(Errc::io_error, "output: out of memory");
    }
  }
  return std::span<std::uint8_t>(out_.data() + committed_, out_.size() - committed_);
}

Status BytesDirectSink::commit(std::size_t n) {
  if (n > out_.size() - committed_) return Error(Errc::usage, "output: commit() beyond room()");
  committed_ += n;
  return {};
}

// Overwrites what the vector already holds, then appends: appending into reserved capacity
// copies once, where room() would first zero what it adds.
Status BytesDirectSink::write(ByteView data) {
  const std::size_t fits = std::min(data.size(), out_.size() - committed_);
  if (fits) std::memcpy(out_.data() + committed_, data.data(), fits);
  if (fits < data.size()) {
    try {
      out_.insert(out_.end(), data.begin() + static_cast<std::ptrdiff_t>(fits), data.end());
    } catch (const std::exception&) {
      return Error(Errc::io_error, "output: out of memory");
    }
  }
  committed_ += data.size();
  return {};
}

}  // namespace casblob
