#include "casblob/error.hpp"

#include <algorithm>
#include <array>

namespace casblob {
namespace {

// The contract (spec 9.1 R-ERR-1, 9.2 R-ERR-2), in Errc order. Every other copy of it
// (spec 9, README, PROTOCOL.md, the Python driver) is checked against `casblob --list-errors`.
constexpr std::array<ErrorInfo, 12> kErrors{{
    {Errc::meta_invalid, "meta_invalid", 10, "sidecar is not the JSON object the spec requires (strict)", false},
    {Errc::version_missing, "version_missing", 11, "sidecar has no usable cas_version", false},
    {Errc::version_unsupported, "version_unsupported", 12, "cas_version names a format this reader does not know",
     false},
    {Errc::codec_unavailable, "codec_unavailable", 13, "the format's codec is not available (lz4 missing)", false},
    {Errc::corrupt, "corrupt", 14, "payload is not a valid instance of its format", true},
    {Errc::format_mismatch, "format_mismatch", 15, "payload magic disagrees with the declared version (strict)", false},
    {Errc::key_mismatch, "key_mismatch", 16, "decoded bytes do not hash to the key (strict)", false},
    {Errc::limit_exceeded, "limit_exceeded", 17, "decoded size passed --max-size (strict; default 4 GiB)", false},
    {Errc::not_found, "not_found", 18, "blob absent", false},
    {Errc::io_error, "io_error", 19, "the operating system failed", false},
    {Errc::unhandled, "unhandled", 20, "the modelled real reader raises an exception that is not its clean error",
     false},
    {Errc::usage, "usage", 2, "bad arguments, invalid key syntax", false},
}};
// Errc::usage is the last enumerator: the table covers ok + 1 .. usage.
static_assert(kErrors.size() == static_cast<std::size_t>(Errc::usage));

constexpr std::array<DetailInfo, 7> kDetails{{
    {Detail::bad_magic, "bad_magic", "the payload does not start with the magic of the declared format"},
    {Detail::header, "header", "a gzip header or lz4 frame descriptor field is invalid"},
    {Detail::checksum, "checksum", "CRC32, lz4 block checksum or lz4 content checksum mismatch"},
    {Detail::truncated, "truncated", "the input ends inside a member or frame, or is empty"},
    {Detail::trailing_data, "trailing_data", "bytes after the last member or frame that are not padding, a member or a frame"},
    {Detail::size_mismatch, "size_mismatch", "ISIZE or the lz4 content size disagrees with the decoded length"},
    {Detail::data, "data", "the compressed data is invalid (deflate or lz4 block)"},
}};
// Detail::data is the last enumerator.
static_assert(kDetails.size() == static_cast<std::size_t>(Detail::data));

}  // namespace

std::span<const ErrorInfo> error_table() noexcept { return kErrors; }

std::span<const DetailInfo> detail_table() noexcept { return kDetails; }

std::vector<ExitCodeInfo> exit_code_table() {
  std::vector<ExitCodeInfo> out{{0, "", "success"},
                                {kExitInternalError, "", "internal error (a bug: please report)"}};
  for (const auto& e : kErrors) out.push_back({e.exit_code, e.name, e.meaning});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
  return out;
}

std::string_view name(Errc code) noexcept {
  if (code == Errc::ok) return "ok";
  for (const auto& e : kErrors)
    if (e.code == code) return e.name;
  return "unknown";
}

std::string_view name(Detail detail) noexcept {
  if (detail == Detail::none) return "none";
  for (const auto& d : kDetails)
    if (d.detail == detail) return d.name;
  return "unknown";
}

std::optional<Errc> errc_from_name(std::string_view n) noexcept {
  if (n == "ok") return Errc::ok;
  for (const auto& e : kErrors)
    if (e.name == n) return e.code;
  return std::nullopt;
}

int exit_code(Errc code) noexcept {
  if (code == Errc::ok) return 0;
  for (const auto& e : kErrors)
    if (e.code == code) return e.exit_code;
  return kExitInternalError;
}

std::string Error::label() const {
  std::string s;
  label_to(s);
  return s;
}

void Error::label_to(std::string& out) const {
  out.assign(name(code));
  if (detail != Detail::none) {
    out += '/';
    out += name(detail);
  }
}

}  // namespace casblob
