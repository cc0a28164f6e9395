#include "casblob/profile.hpp"

namespace casblob {

std::string_view name(Profile p) noexcept {
  switch (p) {
    case Profile::legacy: return "legacy";
    case Profile::v2: return "v2";
    case Profile::v2_nolz4: return "v2-nolz4";
    case Profile::strict: return "strict";
  }
  return "unknown";
}

std::optional<Profile> profile_from_name(std::string_view n) noexcept {
  for (Profile p : kAllProfiles)
    if (name(p) == n) return p;
  return std::nullopt;
}

}  // namespace casblob
