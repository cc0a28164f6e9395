#include "common/temp_registry.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

#include "casblob/io.hpp"

namespace casblob::detail {
namespace {

// state: 0 free, 1 being filled or emptied, 2 holds a name the handler may unlink.
struct Slot {
  std::atomic<int> state{0};
  int dir_fd = -1;
  char name[256];
};
constexpr int kSlots = 128;
Slot g_slots[kSlots];

}  // namespace

void TempRegistry::add(int dir_fd, const std::string& name) noexcept {
  if (name.size() >= sizeof Slot::name) return;
  for (auto& s : g_slots) {
    int expected = 0;
    if (!s.state.compare_exchange_strong(expected, 1)) continue;
    s.dir_fd = dir_fd;
    std::memcpy(s.name, name.c_str(), name.size() + 1);
    s.state.store(2, std::memory_order_release);
    return;
  }
}

void TempRegistry::remove(int dir_fd, const std::string& name) noexcept {
  for (auto& s : g_slots) {
    if (s.state.load(std::memory_order_acquire) != 2 || s.dir_fd != dir_fd || std::strcmp(s.name, name.c_str()) != 0)
      continue;
    int expected = 2;
    if (s.state.compare_exchange_strong(expected, 1)) {
      s.state.store(0, std::memory_order_release);
      return;
    }
  }
}

void TempRegistry::unlink_all() noexcept {
  for (auto& s : g_slots)
    if (s.state.load(std::memory_order_acquire) == 2) ::unlinkat(s.dir_fd, s.name, 0);
}

}  // namespace casblob::detail

namespace casblob {
void remove_pending_temporaries() noexcept { detail::TempRegistry::unlink_all(); }
}  // namespace casblob
