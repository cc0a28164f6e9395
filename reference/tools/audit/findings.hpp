// The audit's findings: the one table of finding ids, severities, meanings and the spec
// requirements each checks (spec section "Auditing a datastore" is generated from it:
// `casblob audit --list-findings --markdown`, checked by ctest "audit: spec findings table").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace casblob::audit {

enum class Severity { info, warning, error };
std::string_view name(Severity s) noexcept;  // "info", "warning", "error"
std::optional<Severity> severity_from_name(std::string_view name) noexcept;

enum class FindingId {
  keyMismatch,
  corrupt,
  zeroLength,
  badChecksumContentOk,
  sidecarMissing,
  sidecarMissingUnreadable,
  sidecarInvalid,
  versionUnknown,
  codecUnavailable,
  formatMismatch,
  limitExceeded,
  wrongBytesUnder,
  unhandledUnder,
  rawTransfer,
  orphanSidecar,
  tempLeftover,
  strayFile,
  specialFile,
  unreadable,
  danglingReference,
  unreferenced,
  taskIndexInvalid,
};

struct FindingInfo {
  FindingId id;
  std::string_view name;      // stable camelCase id
  Severity severity;          // the default; --severity ID=LEVEL changes it
  std::string_view level;     // the first level that finds it: "metadata" or "data"
  std::string_view checks;    // the spec requirements it checks
  std::string_view meaning;   // one line
};

// Every finding, in report order.
std::span<const FindingInfo> all_findings() noexcept;
const FindingInfo& info(FindingId id) noexcept;
std::string_view name(FindingId id) noexcept;
std::optional<FindingId> finding_from_name(std::string_view name) noexcept;

struct Finding {
  FindingId id = FindingId::corrupt;
  Severity severity = Severity::error;  // after overrides
  std::string flow, key, path;          // key empty for files that are not blobs
  std::string message;                  // one line
  std::string detail;                   // e.g. the strict error label "corrupt/checksum"
  std::vector<std::string> profiles;    // wrongBytesUnder, unhandledUnder: which readers
  std::uint64_t size = 0;               // stored bytes of the object, when it has any
  std::int64_t mtime_ns = 0;
};

// Sort order of reports: flow, path, id.
bool finding_less(const Finding& a, const Finding& b);

}  // namespace casblob::audit
