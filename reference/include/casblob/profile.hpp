// Reader profiles (spec 7): each models one reader that exists, or should exist.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace casblob {

// Enumerator values are part of the ABI: a new profile is appended (pre_cas came last), while
// kAllProfiles and the profile table list them in the order of the readers' history.
enum class Profile {
  legacy,    // released Metaflow 2.4-2.19: v1 only, no sidecar = gzip, Python gzip module semantics
  v2,        // Metaflow with the proposed v2 (PR #3090): adds lz4.frame.decompress
  v2_nolz4,  // a v2-aware Metaflow whose lz4 import fails lazily: v2 -> codec_unavailable
  strict,    // the recommended reader: never returns wrong bytes
  pre_cas,   // Metaflow 2.0-2.3 (before the CAS): gunzips every blob, never reads a sidecar
};

inline constexpr Profile kAllProfiles[] = {Profile::pre_cas, Profile::legacy, Profile::v2,
                                           Profile::v2_nolz4, Profile::strict};

// The profile table: the one source of truth for profile names and what each stands for.
// `casblob --list-profiles` prints it; CLI option choices and the repository's copies
// (README, spec 7, the Python driver) come from or are checked against it.
struct ProfileInfo {
  Profile profile;
  std::string_view name;     // "pre-cas", "legacy", "v2", "v2-nolz4", "strict"
  std::string_view models;   // the reader it stands for (one line)
  std::string_view promise;  // what a reader of this profile guarantees (one line)
};

std::span<const ProfileInfo> profile_table() noexcept;  // kAllProfiles order

std::string_view name(Profile p) noexcept;
std::optional<Profile> profile_from_name(std::string_view name) noexcept;

}  // namespace casblob
