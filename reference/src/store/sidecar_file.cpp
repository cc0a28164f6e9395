#include <fcntl.h>

#include <algorithm>
#include <string>

#include "casblob/store.hpp"
#include "store/sidecar_limits.hpp"

namespace casblob {

namespace detail {

// R-META-5 (absent only when there is no file), R-SEC-6 (regular files, bounded).
Result<SidecarText> read_sidecar_source(Result<FileSource> src, const FileSource::ShownName& shown) {
  if (!src) {
    if (src.error().code == Errc::not_found) return SidecarText{};  // R-META-5: only absence is "no sidecar"
    return src.error();
  }
  auto too_long = [&] {
    return Error(Errc::meta_invalid, shown.str() + " is longer than the " + std::to_string(kMaxSidecarBytes) +
                                         " bytes a sidecar may have (spec 10.2)");
  };
  const auto hint = src->size_hint();
  if (hint && *hint > kMaxSidecarBytes) return too_long();
  // Read straight into the text, sized by the fstat (one read for a file that did not change).
  std::string text(hint ? static_cast<std::size_t>(*hint) + 1 : std::size_t{4096}, '\0');
  std::size_t have = 0;
  for (;;) {
    if (have == text.size()) {
      if (text.size() > kMaxSidecarBytes) return too_long();  // grew while read
      text.resize(std::min<std::size_t>(text.size() * 2, kMaxSidecarBytes + 1));
    }
    auto n = src->read(std::span(reinterpret_cast<std::uint8_t*>(text.data()) + have, text.size() - have));
    if (!n) return n.error();
    if (*n == 0) break;
    have += *n;
  }
  if (have > kMaxSidecarBytes) return too_long();  // grew while read
  text.resize(have);
  return SidecarText(std::move(text));
}

}  // namespace detail

Result<SidecarText> read_sidecar_file(const std::string& path, bool follow) {
  return detail::read_sidecar_source(FileSource::open_at(AT_FDCWD, path, path, follow), FileSource::ShownName{path, {}, {}});
}

}  // namespace casblob
