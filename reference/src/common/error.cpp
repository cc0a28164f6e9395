#include "casblob/error.hpp"

#include <array>

namespace casblob {
namespace {

struct ErrcEntry {
  Errc code;
  std::string_view name;
  int exit_code;  // spec 9.2; README "Exit codes"
};

constexpr std::array<ErrcEntry, 13> kErrc{{
    {Errc::ok, "ok", 0},
    {Errc::meta_invalid, "meta_invalid", 10},
    {Errc::version_missing, "version_missing", 11},
    {Errc::version_unsupported, "version_unsupported", 12},
    {Errc::codec_unavailable, "codec_unavailable", 13},
    {Errc::corrupt, "corrupt", 14},
    {Errc::format_mismatch, "format_mismatch", 15},
    {Errc::key_mismatch, "key_mismatch", 16},
    {Errc::limit_exceeded, "limit_exceeded", 17},
    {Errc::not_found, "not_found", 18},
    {Errc::io_error, "io_error", 19},
    {Errc::unhandled, "unhandled", 20},
    {Errc::usage, "usage", 2},
}};

constexpr std::array<std::string_view, 8> kDetail{
    "none", "bad_magic", "header", "checksum", "truncated", "trailing_data", "size_mismatch", "data"};

}  // namespace

std::string_view name(Errc code) noexcept {
  for (const auto& e : kErrc)
    if (e.code == code) return e.name;
  return "unknown";
}

std::string_view name(Detail detail) noexcept {
  auto i = static_cast<std::size_t>(detail);
  return i < kDetail.size() ? kDetail[i] : "unknown";
}

std::optional<Errc> errc_from_name(std::string_view n) noexcept {
  for (const auto& e : kErrc)
    if (e.name == n) return e.code;
  return std::nullopt;
}

int exit_code(Errc code) noexcept {
  for (const auto& e : kErrc)
    if (e.code == code) return e.exit_code;
  return 1;
}

std::string Error::label() const {
  std::string s{name(code)};
  if (detail != Detail::none) {
    s += '/';
    s += name(detail);
  }
  return s;
}

}  // namespace casblob
