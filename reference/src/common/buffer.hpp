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

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

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

}  // namespace casblob::detail
