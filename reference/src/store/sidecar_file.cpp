#include <fcntl.h>

#include "casblob/store.hpp"
#include "store/sidecar_limits.hpp"

namespace casblob {

namespace detail {

// R-META-5 (absent only when there is no file), R-SEC-6 (regular files, bounded).
Result<SidecarText> read_sidecar_source(Result<FileSource> src, const std::string& shown_as) {
  if (!src) {
    if (src.error().code == Errc::not_found) return SidecarText{};  // R-META-5: only absence is "no sidecar"
    return src.error();
  }
  const std::string too_long = shown_as + " is longer than the " + std::to_string(kMaxSidecarBytes) +
                               " bytes a sidecar may have (spec 10.2)";
  if (auto n = src->size_hint(); n && *n > kMaxSidecarBytes) return Error(Errc::meta_invalid, too_long);
  std::string text;
  char buf[4096];
  for (;;) {
    auto n = src->read(std::span(reinterpret_cast<std::uint8_t*>(buf), sizeof buf));
    if (!n) return n.error();
    if (*n == 0) break;
    if (text.size() + *n > kMaxSidecarBytes) return Error(Errc::meta_invalid, too_long);  // grew while read
    text.append(buf, *n);
  }
  return SidecarText(std::move(text));
}

}  // namespace detail

Result<SidecarText> read_sidecar_file(const std::string& path, bool follow) {
  return detail::read_sidecar_source(FileSource::open_at(AT_FDCWD, path, path, follow), path);
}

}  // namespace casblob
