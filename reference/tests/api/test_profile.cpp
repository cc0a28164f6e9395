// The profile table (spec 7) is the one source of truth for profile names; CLI option choices
// and the repository's copies come from or are checked against `casblob --list-profiles`.
#include <catch2/catch.hpp>

#include <iterator>
#include <set>

#include "casblob/profile.hpp"

using namespace casblob;

TEST_CASE("the profile table lists kAllProfiles in order, with names that round-trip", "[profile]") {
  auto table = profile_table();
  REQUIRE(table.size() == std::size(kAllProfiles));
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& p = table[i];
    INFO(p.name);
    CHECK(p.profile == kAllProfiles[i]);
    CHECK(names.insert(p.name).second);
    CHECK(p.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos);
    CHECK(name(p.profile) == p.name);
    CHECK(profile_from_name(p.name) == p.profile);
    for (std::string_view text : {p.models, p.promise}) {
      CHECK_FALSE(text.empty());
      CHECK(text.find('\n') == std::string_view::npos);
    }
  }
  CHECK_FALSE(profile_from_name("v2_nolz4"));
  CHECK_FALSE(profile_from_name("Strict"));
}
