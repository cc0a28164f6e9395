// The strict reader's dispatch: spec 6.1 steps 2-7, one line per step.
#include "casblob/codecs.hpp"
#include "casblob/meta.hpp"
#include "read/dispatch.hpp"

namespace casblob::detail {
namespace {

// Step 7 (R-READ-2, R-READ-3): the version names the decoder; the payload is not examined.
Result<Encoding> dispatch_version(std::int64_t version) {
  switch (version) {
    case 1: return Encoding::gzip_v1;
    case 2:
      if (!lz4_available()) return Error(Errc::codec_unavailable, "cas_version 2 needs lz4, not built in");
      return Encoding::lz4_v2;
    default:
      return Error(Errc::version_unsupported,
                   "cas_version " + (version == INT64_MAX ? std::string("(beyond 64 bits)") : std::to_string(version)) +
                       " is not supported by this reader");
  }
}

}  // namespace

Result<Encoding> dispatch_strict(const SidecarText& sidecar) {
  if (!sidecar) return Encoding::gzip_nosidecar;            // step 2, R-NS-2: older datastores;
                                                            // never chosen by magic (R-NS-3)
  auto meta = validate_meta_strict(parse_meta(*sidecar));  // steps 3-5, R-META-6 .. R-META-9
  if (!meta) return meta.error();
  if (meta->raw) return Encoding::raw;                      // step 6, R-RAW-2
  return dispatch_version(meta->version);                   // step 7
}

}  // namespace casblob::detail
