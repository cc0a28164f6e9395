// The strict reader's dispatch: spec 6.1 steps 2-7.
#include "casblob/experimental/lz4_frame.hpp"
#include "casblob/meta.hpp"
#include "read/dispatch.hpp"

namespace casblob::detail {

std::string_view name(Encoding e) noexcept {
  switch (e) {
    case Encoding::raw: return "raw";
    case Encoding::gzip_v1: return "gzip-v1";
    case Encoding::gzip_nosidecar: return "gzip-nosidecar";
    case Encoding::lz4_v2: return "lz4-v2";
  }
  return "unknown";
}

Result<Encoding> dispatch_strict(const SidecarText& sidecar) {
  if (!sidecar) return Encoding::gzip_nosidecar;  // step 2: older datastores
  auto meta = validate_meta_strict(parse_meta(*sidecar));  // steps 3-5
  if (!meta) return meta.error();
  if (meta->raw) return Encoding::raw;  // step 6
  switch (meta->version) {              // step 7
    case 1: return Encoding::gzip_v1;
    case 2:
      if (!lz4_available()) return Error(Errc::codec_unavailable, "cas_version 2 needs lz4, not built in");
      return Encoding::lz4_v2;
    default:
      return Error(Errc::version_unsupported,
                   "cas_version " + (meta->version == INT64_MAX ? std::string("(beyond 64 bits)")
                                                                : std::to_string(meta->version)) +
                       " is not supported by this reader");
  }
}

}  // namespace casblob::detail
