// Scratch memory the codecs fill before they read it: the gzip decoder's inflate output, the
// lz4 decoder's history and block buffers, the writers' output buffers. Internal header.
//
// Not std::vector: resize() zeroes every new byte (a 1 MiB lz4 history per decode), and a
// default-initialising allocator still runs one construct() call per byte, a loop that -O2
// deletes but instrumented builds (ASan, libFuzzer) keep: 78-82 % of the fuzzers' time
// (issue 19). `new std::uint8_t[n]` default-initialises: no loop, no zeroing.
//
// ensure() never shrinks, so a codec that is reset() for the next blob keeps its memory warm
// (spec 10.1 bounds it; the callers size it to the input). Allocation failure is a return
// value, not an exception: the codecs report it as io_error.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <span>

namespace casblob::detail {

class ScratchBuffer {
 public:
  // At least n bytes; the old contents are lost when it grows. False: out of memory (the
  // buffer is then empty).
  bool ensure(std::size_t n) noexcept {
    if (n <= size_) return true;
    data_.reset(new (std::nothrow) std::uint8_t[n]);
    size_ = data_ ? n : 0;
    return data_ != nullptr;
  }
  std::uint8_t* data() noexcept { return data_.get(); }
  const std::uint8_t* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  void release() noexcept {
    data_.reset();
    size_ = 0;
  }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0;
};

// The buffer a streaming read loop (decode_blob(Source&), BlobEncoder's pump) reads into,
// sized to its input (issue 19: first-touch page faults dominate small reads): the size hint
// + 1 when it is known and below `max`, so that one read sees the end; else a first read of
// kFirstRead (or the kept buffer's size, warm already) that grows 4x each time a read fills
// it, up to `max`. A small input of unknown size (a pipe) never touches `max` bytes.
class ReadBuffer {
 public:
  static constexpr std::size_t kFirstRead = std::size_t{16} << 10;

  // False: out of memory.
  bool start(std::size_t max, std::optional<std::uint64_t> size_hint) noexcept {
    max_ = max < 1 ? 1 : max;
    if (size_hint && *size_hint < max_) size_ = static_cast<std::size_t>(*size_hint) + 1;
    else if (size_hint) size_ = max_;
    else size_ = std::min(max_, std::max(kFirstRead, buf_.size()));
    return buf_.ensure(size_);
  }
  // Where the next read goes.
  std::span<std::uint8_t> span() noexcept { return {buf_.data(), size_}; }
  // After a read of n bytes, consumed before the next read: a read that filled the span makes
  // the next one larger. False: out of memory.
  bool consumed(std::size_t n) noexcept {
    if (n < size_ || size_ == max_) return true;
    size_ = max_ / 4 < size_ ? max_ : size_ * 4;
    return buf_.ensure(size_);
  }

 private:
  ScratchBuffer buf_;
  std::size_t size_ = 0, max_ = 1;
};

}  // namespace casblob::detail
