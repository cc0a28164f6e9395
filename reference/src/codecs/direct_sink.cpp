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

Status BytesDirectSink::write(ByteView data) {
  auto r = room(data.size());
  if (!r) return r.error();
  if (!data.empty()) std::memcpy(r->data(), data.data(), data.size());
  committed_ += data.size();
  return {};
}

}  // namespace casblob
