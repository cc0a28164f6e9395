#include "casblob/experimental/direct_sink.hpp"

#include <algorithm>
#include <cstdint>
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

bool ViewOrBytesSink::continues_view(ByteView d) const noexcept {
  if (d.empty()) return true;
  const auto at = reinterpret_cast<std::uintptr_t>(d.data());
  const auto begin = reinterpret_cast<std::uintptr_t>(source_.data());
  if (at < begin || at - begin > source_.size() || d.size() > source_.size() - (at - begin)) return false;
  return view_.empty() || d.data() == view_.data() + view_.size();
}

Status ViewOrBytesSink::materialize() {
  if (copied_) return {};
  copied_ = true;
  return view_.empty() ? Status{} : copy_.write(view_);
}

Status ViewOrBytesSink::write(ByteView data) {
  if (!copied_ && continues_view(data)) {
    view_ = ByteView(view_.empty() ? data.data() : view_.data(), view_.size() + data.size());
    return {};
  }
  CASBLOB_TRY(materialize());
  return copy_.write(data);
}

Result<std::span<std::uint8_t>> ViewOrBytesSink::room(std::size_t n) {
  if (Status s = materialize(); !s.ok()) return s.error();
  return copy_.room(n);
}

ByteView ViewOrBytesSink::finish() {
  if (!copied_) {
    out_.clear();
    return view_;
  }
  copy_.finish();
  return ByteView(out_.data(), out_.size());
}

}  // namespace casblob
