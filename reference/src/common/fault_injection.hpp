// Failure injection for the library's calls into zlib, liblz4 and OpenSSL, so that tests can
// prove every unexpected return becomes a final error value (issue 11: an unchecked
// inflateInit2 made the gzip decoder loop forever). Internal header; the library asks
// `should_fail(site)` right before the call it guards, and tests arm a site.
//
// Cost when nothing is armed: one thread-local load per guarded call, and the guarded calls
// are per-stream set-up (context creation, init) or per-chunk hashing, never per byte.
#pragma once

#include <cstddef>

namespace casblob::detail::fault {

enum class Site : unsigned {
  zlib_alloc,    // zlib's zalloc for every stream the codecs own (inflateInit2, deflateInit2, window)
  lz4_context,   // LZ4F_createCompressionContext
  sha1_init,     // the SHA_CTX allocation / SHA1_Init
  sha1_update,   // SHA1_Update
  sha1_final,    // SHA1_Final
  count_,
};

// The guarded call `skip` calls from now at `site` fails, `times` times in a row, on this thread.
void arm(Site site, unsigned skip = 0, unsigned times = 1) noexcept;
void disarm_all() noexcept;
bool should_fail(Site site) noexcept;

// zlib allocator hooks (z_stream::zalloc/zfree): malloc/free, failing when zlib_alloc is armed.
void* zalloc(void* opaque, unsigned items, unsigned size) noexcept;
void zfree(void* opaque, void* p) noexcept;

// Arms sites for the lifetime of a scope (tests).
class Scope {
 public:
  Scope(Site site, unsigned skip = 0, unsigned times = 1) noexcept { arm(site, skip, times); }
  ~Scope() { disarm_all(); }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
};

}  // namespace casblob::detail::fault
