#include "audit/findings.hpp"

#include <tuple>

namespace casblob::audit {
namespace {

using enum FindingId;
constexpr Severity E = Severity::error, W = Severity::warning, I = Severity::info;

// The order is the report order: a blob's own content first, then its sidecar, what readers do
// with it, the files around it, and reachability last.
constexpr FindingInfo kFindings[] = {
    {keyMismatch, "keyMismatch", E, "data", "R-KEY-1, R-KEY-5",
     "the payload decodes cleanly, but its content does not hash to the key (strict key_mismatch)"},
    {corrupt, "corrupt", E, "data", "R-R1-1..R-R1-8, R-R2-1..R-R2-9, R-READ-4",
     "the payload is not a valid instance of its encoding (strict corrupt/<detail>)"},
    {zeroLength, "zeroLength", E, "metadata", "R-KEY-4",
     "the payload is empty and its sidecar does not make that the empty content (a lost write, Metaflow PR #288)"},
    {badChecksumContentOk, "badChecksumContentOk", E, "data", "R-R1-5, R-R2-4, R-R2-5, R-KEY-5",
     "a CRC32, checksum or stored size is wrong but the content hashes to the key: salvageable (Metaflow #1229)"},
    {sidecarMissing, "sidecarMissing", I, "metadata", "R-META-1, R-NS-2",
     "no sidecar; the gzip payload reads right through the no-sidecar fallback"},
    {sidecarMissingUnreadable, "sidecarMissingUnreadable", E, "metadata", "R-META-1, R-FWD-3, R-FWD-5",
     "no sidecar and the payload is not gzip (an lz4 or raw blob): no reader can read it; repairable when it reads as its key"},
    {sidecarInvalid, "sidecarInvalid", E, "metadata", "R-META-6, R-META-7, R-META-8, R-META-10",
     "the sidecar is not the JSON object the spec requires (strict meta_invalid or version_missing)"},
    {versionUnknown, "versionUnknown", E, "metadata", "R-READ-2, R-FWD-2",
     "cas_version names an encoding no reader here knows (strict version_unsupported)"},
    {codecUnavailable, "codecUnavailable", W, "metadata", "R-READ-3",
     "this build of casblob has no lz4 codec: the v2 blob was not verified"},
    {formatMismatch, "formatMismatch", E, "metadata", "R-READ-4, R-KEY-7",
     "the payload's magic is another encoding than its sidecar declares (a writer race or a swapped sidecar)"},
    {limitExceeded, "limitExceeded", W, "data", "R-READ-5, R-SEC-1",
     "the content is longer than the strict limit (--max-size): not verified"},
    {wrongBytesUnder, "wrongBytesUnder", E, "data", "R-KEY-6, R-PROF-2",
     "a modelled deployed reader returns wrong bytes without an error on this blob (the profiles are named)"},
    {unhandledUnder, "unhandledUnder", W, "data", "R-PROF-2, R-SEC-3",
     "a modelled deployed reader raises something other than its clean error on this blob (the profiles are named)"},
    {rawTransfer, "rawTransfer", I, "metadata", "R-RAW-1, R-META-4",
     "a raw blob whose content compresses (Metaflow's transfer path stores blobs raw): space to gain"},
    {orphanSidecar, "orphanSidecar", W, "metadata", "R-KEY-4",
     "a sidecar without its payload (the payload was lost or removed)"},
    {tempLeftover, "tempLeftover", I, "metadata", "R-KEY-4",
     "a temporary file an interrupted atomic write left (Metaflow's tmpXXXXXXXX or casblob's .casblob-tmp-)"},
    {strayFile, "strayFile", W, "metadata", "R-KEY-3",
     "a file or folder in a CAS prefix that is no blob, sidecar or temporary file, or a blob in the wrong <kk> folder"},
    {specialFile, "specialFile", W, "metadata", "R-SEC-5, R-SEC-6",
     "a symbolic link, FIFO, device or socket inside the store: refused, never read"},
    {unreadable, "unreadable", E, "metadata", "R-SEC-6",
     "the operating system or the object store failed to list or read this object: the audit is incomplete"},
    {danglingReference, "danglingReference", E, "metadata", "R-KEY-3",
     "a task index (<attempt>.data.json) refers to a key whose blob is not in the store: loading it fails"},
    {unreferenced, "unreferenced", I, "metadata", "",
     "no task index refers to this blob (garbage-collection candidate; raw blobs are code packages and such)"},
    {taskIndexInvalid, "taskIndexInvalid", W, "metadata", "",
     "a task index is not readable JSON with an objects map of keys: its references are unknown"},
};

}  // namespace

std::string_view name(Severity s) noexcept {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "error";
}

std::optional<Severity> severity_from_name(std::string_view n) noexcept {
  for (Severity s : {Severity::info, Severity::warning, Severity::error})
    if (name(s) == n) return s;
  return std::nullopt;
}

std::span<const FindingInfo> all_findings() noexcept { return kFindings; }

const FindingInfo& info(FindingId id) noexcept {
  for (const auto& f : kFindings)
    if (f.id == id) return f;
  return kFindings[0];  // unreachable: every id has a row (tests/audit checks it)
}

std::string_view name(FindingId id) noexcept { return info(id).name; }

std::optional<FindingId> finding_from_name(std::string_view n) noexcept {
  for (const auto& f : kFindings)
    if (f.name == n) return f.id;
  return std::nullopt;
}

bool finding_less(const Finding& a, const Finding& b) {
  return std::tie(a.flow, a.path, a.id, a.message) < std::tie(b.flow, b.path, b.id, b.message);
}

}  // namespace casblob::audit
