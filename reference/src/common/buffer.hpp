// Scratch buffers the codecs fill before they read them: a byte vector whose resize() does
// not zero the new bytes (std::vector<std::uint8_t> would memset every buffer on every blob:
// a 1 MiB lz4 history per decode, 256 KiB per gzip stream). Internal header.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace casblob::detail {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;
  template <class U>
  void construct(U* p) noexcept(noexcept(::new (static_cast<void*>(p)) U)) {
    ::new (static_cast<void*>(p)) U;  // default-initialised: no zeroing
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using ScratchBytes = std::vector<std::uint8_t, DefaultInitAllocator<std::uint8_t>>;

}  // namespace casblob::detail
