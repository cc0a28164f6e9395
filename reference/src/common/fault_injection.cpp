#include "common/fault_injection.hpp"

#include <cstdint>
#include <cstdlib>

namespace casblob::detail::fault {
namespace {

struct Armed {
  unsigned skip = 0, times = 0;
};
constexpr auto kSites = static_cast<std::size_t>(Site::count_);
thread_local Armed armed[kSites];
thread_local bool any_armed = false;

}  // namespace

void arm(Site site, unsigned skip, unsigned times) noexcept {
  armed[static_cast<std::size_t>(site)] = {skip, times};
  any_armed = true;
}

void disarm_all() noexcept {
  for (auto& a : armed) a = {};
  any_armed = false;
}

bool should_fail(Site site) noexcept {
  if (!any_armed) return false;
  Armed& a = armed[static_cast<std::size_t>(site)];
  if (a.times == 0) return false;
  if (a.skip > 0) {
    --a.skip;
    return false;
  }
  --a.times;
  return true;
}

void* zalloc(void*, unsigned items, unsigned size) noexcept {
  if (should_fail(Site::zlib_alloc)) return nullptr;
  return std::malloc(std::size_t{items} * size);  // both are 32-bit: the product fits in 64
}

void zfree(void*, void* p) noexcept { std::free(p); }

}  // namespace casblob::detail::fault
