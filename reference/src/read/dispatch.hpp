// Which decoder a sidecar selects, per profile (spec 6.1 steps 2-7; Appendix A for the
// released Metaflow logic that `legacy`, `v2` and `v2-nolz4` reproduce).
#pragma once

#include "casblob/error.hpp"
#include "casblob/profile.hpp"
#include "casblob/reader.hpp"

namespace casblob::detail {

enum class Encoding { raw, gzip_v1, gzip_nosidecar, lz4_v2 };
std::string_view name(Encoding e) noexcept;

// Released Metaflow's dispatch, decision for decision, including where Python raises
// something other than DataException (-> Errc::unhandled).
Result<Encoding> dispatch_python(const SidecarText& sidecar, Profile profile);

// The strict reader's dispatch (typed sidecar validation).
Result<Encoding> dispatch_strict(const SidecarText& sidecar);

}  // namespace casblob::detail
