// Which decoder a sidecar selects, per profile (spec 6.1 steps 2-7; Appendix A.3 for the
// released Metaflow logic that `legacy`, `v2` and `v2-nolz4` reproduce, spec 7 for
// `pre-cas`). Internal.
#pragma once

#include "casblob/error.hpp"
#include "casblob/profile.hpp"
#include "casblob/reader.hpp"

namespace casblob::detail {

// Released Metaflow's dispatch, decision for decision, including where Python raises
// something other than DataException (-> Errc::unhandled).
Result<Encoding> dispatch_python(const SidecarText& sidecar, Profile profile);

// The strict reader's dispatch: steps 2-7 of spec 6.1.
Result<Encoding> dispatch_strict(const SidecarText& sidecar);

// Metaflow 2.0-2.3 (profile pre-cas): no sidecar exists for it, so none is read.
Result<Encoding> dispatch_pre_cas(const SidecarText& sidecar);

}  // namespace casblob::detail
