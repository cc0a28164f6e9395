// Errors are values: a stable snake_case name, an optional detail for `corrupt`, and a
// one-line human message. Names and exit codes are part of the public contract (spec 9).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace casblob {

enum class Errc {
  ok = 0,
  meta_invalid,         // sidecar is not the JSON object the spec requires (strict)
  version_missing,      // sidecar has no usable cas_version
  version_unsupported,  // cas_version names a format this reader does not know
  codec_unavailable,    // format known, but its codec is not built/installed (v2-nolz4)
  corrupt,              // payload is not a valid instance of its format; see Detail
  format_mismatch,      // payload magic disagrees with the declared version (strict)
  key_mismatch,         // decoded bytes do not hash to the key
  limit_exceeded,       // decoded size passed the configured maximum
  not_found,            // blob absent from the store
  io_error,             // the operating system failed us
  unhandled,            // the modelled real reader raises something other than its clean error
  usage,                // bad arguments (CLI, API misuse); stays the last enumerator
};

enum class Detail {
  none = 0,
  bad_magic,      // container magic not recognised
  header,         // malformed or unsupported header field (FLG reserved bits, bad HC, FHCRC ...)
  checksum,       // CRC32 / XXH32 mismatch
  truncated,      // input ended inside a member or frame
  trailing_data,  // bytes after the last member/frame that the reader does not accept
  size_mismatch,  // ISIZE / content size disagrees with decoded length
  data,           // compressed data itself is invalid (deflate / lz4 block error); stays last
};

std::string_view name(Errc code) noexcept;
std::string_view name(Detail detail) noexcept;
std::optional<Errc> errc_from_name(std::string_view name) noexcept;

// CLI exit status for each error (spec 9.2, README "Exit codes"). ok = 0.
int exit_code(Errc code) noexcept;

// The contract tables (R-ERR-1, R-ERR-2). They are the one source of truth for error names,
// details and exit codes: `casblob --list-errors --json` prints them, and the repository's
// contract check compares every other copy (spec 9, README, conformance driver) with that output.
struct ErrorInfo {
  Errc code;
  std::string_view name;
  int exit_code;
  std::string_view meaning;  // one line
  bool has_details;          // the error carries one of detail_table()'s details
};
struct DetailInfo {
  Detail detail;
  std::string_view name;
  std::string_view meaning;  // one line
};
struct ExitCodeInfo {
  int code;
  std::string_view name;     // the error's name; empty for success and internal error
  std::string_view meaning;  // one line
};

inline constexpr int kExitInternalError = 1;  // an exception escaped: a bug

std::span<const ErrorInfo> error_table() noexcept;    // every Errc except ok, by exit code
std::span<const DetailInfo> detail_table() noexcept;  // every Detail except none
std::vector<ExitCodeInfo> exit_code_table();          // success, internal error, then every error

struct Error {
  Errc code = Errc::ok;
  Detail detail = Detail::none;
  std::string message;

  Error() = default;
  Error(Errc c, std::string msg, Detail d = Detail::none)
      : code(c), detail(d), message(std::move(msg)) {}

  // "corrupt/checksum" or "key_mismatch": the compact stable form used in reports.
  std::string label() const;
  // The same into `out`, its memory reused (the audit labels outcomes of every blob).
  void label_to(std::string& out) const;
};

// Status: an Error whose code may be ok. An ok Status is one null pointer: a stream decoder
// returns one per field it reads, so success must cost no string (issue 19); an error is
// rare and carries its Error on the heap.
class Status {
 public:
  Status() noexcept = default;
  Status(Error e)  // NOLINT: implicit by design
      : err_(e.code == Errc::ok ? nullptr : std::make_unique<Error>(std::move(e))) {}
  Status(const Status& o) : err_(o.err_ ? std::make_unique<Error>(*o.err_) : nullptr) {}
  Status(Status&&) noexcept = default;
  Status& operator=(const Status& o) {
    if (this != &o) err_ = o.err_ ? std::make_unique<Error>(*o.err_) : nullptr;
    return *this;
  }
  Status& operator=(Status&&) noexcept = default;
  bool ok() const noexcept { return !err_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const noexcept { return err_ ? *err_ : ok_error(); }
  Errc code() const noexcept { return err_ ? err_->code : Errc::ok; }

 private:
  static const Error& ok_error() noexcept {
    static const Error ok;
    return ok;
  }
  std::unique_ptr<Error> err_;
};

inline Status ok_status() { return {}; }

// Result<T>: a value or an Error (std::expected is C++23).
template <class T>
class Result {
 public:
  Result(T v) : v_(std::move(v)) {}       // NOLINT
  Result(Error e) : v_(std::move(e)) {}   // NOLINT
  bool ok() const noexcept { return std::holds_alternative<T>(v_); }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const Error& error() const { return std::get<Error>(v_); }
  Status status() const { return ok() ? Status{} : Status{error()}; }

 private:
  std::variant<T, Error> v_;
};

}  // namespace casblob

// Propagate a failed Status/Result from the enclosing function.
#define CASBLOB_TRY(expr)                                   \
  do {                                                      \
    auto casblob_try_s_ = (expr);                           \
    if (!casblob_try_s_.ok()) return casblob_try_s_.error(); \
  } while (0)
