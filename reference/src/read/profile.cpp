#include "casblob/profile.hpp"

#include <array>

namespace casblob {
namespace {

// Spec 7. `pre-cas`, `legacy`, `v2` and `v2-nolz4` are measured models of deployed readers
// (R-PROF-2), `strict` is the reader the spec recommends (R-PROF-1). The release ranges are
// the ones the release-history sweep measured (the spec's release-history appendix).
constexpr std::array<ProfileInfo, 5> kProfiles{{
    {Profile::pre_cas, "pre-cas",
     "Metaflow 2.0-2.3, before the CAS (LocalDataStore.load_data: gunzips every blob, never reads a sidecar)",
     "faithful, hazards included; every failure is unhandled (no DataException)"},
    {Profile::legacy, "legacy",
     "released Metaflow 2.4-2.19 (v1 gzip only, no sidecar = gzip, Python gzip/json semantics)",
     "faithful, hazards included"},
    {Profile::v2, "v2", "Metaflow with PR #3090 (adds v2 = lz4.frame.decompress)", "faithful, hazards included"},
    {Profile::v2_nolz4, "v2-nolz4", "a v2-aware Metaflow whose lz4 import fails lazily",
     "v2 blobs fail with codec_unavailable, otherwise as v2"},
    {Profile::strict, "strict", "the reader the spec recommends (section 6)", "never returns wrong bytes"},
}};
static_assert(kProfiles.size() == std::size(kAllProfiles));

}  // namespace

std::span<const ProfileInfo> profile_table() noexcept { return kProfiles; }

std::string_view name(Profile p) noexcept {
  for (const auto& info : kProfiles)
    if (info.profile == p) return info.name;
  return "unknown";
}

std::optional<Profile> profile_from_name(std::string_view n) noexcept {
  for (const auto& info : kProfiles)
    if (info.name == n) return info.profile;
  return std::nullopt;
}

}  // namespace casblob
