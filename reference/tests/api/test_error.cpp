// Error names and exit codes are a public contract (spec 9, README "Exit codes").
#include <catch2/catch.hpp>

#include <set>

#include "casblob/error.hpp"

using namespace casblob;

TEST_CASE("every error has a stable snake_case name and a distinct exit code", "[error]") {
  const std::pair<Errc, int> table[] = {
      {Errc::ok, 0},           {Errc::usage, 2},           {Errc::meta_invalid, 10},  {Errc::version_missing, 11},
      {Errc::version_unsupported, 12}, {Errc::codec_unavailable, 13}, {Errc::corrupt, 14},
      {Errc::format_mismatch, 15}, {Errc::key_mismatch, 16}, {Errc::limit_exceeded, 17},
      {Errc::not_found, 18},   {Errc::io_error, 19},       {Errc::unhandled, 20}};
  std::set<int> codes;
  for (auto [code, exit] : table) {
    CHECK(exit_code(code) == exit);
    CHECK(codes.insert(exit).second);
    auto n = name(code);
    CHECK(n.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
    CHECK(errc_from_name(n) == code);
  }
  CHECK_FALSE(errc_from_name("no_such_error"));
}

TEST_CASE("label joins name and detail", "[error]") {
  CHECK(Error(Errc::corrupt, "x", Detail::checksum).label() == "corrupt/checksum");
  CHECK(Error(Errc::key_mismatch, "x").label() == "key_mismatch");
  CHECK(name(Detail::trailing_data) == "trailing_data");
}
