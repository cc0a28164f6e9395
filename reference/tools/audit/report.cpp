#include "audit/report.hpp"

#include "audit/exit_codes.hpp"

namespace casblob::audit {

std::string_view name(Outcome o) noexcept {
  switch (o) {
    case Outcome::right: return "right";
    case Outcome::clean_error: return "clean_error";
    case Outcome::unhandled: return "unhandled";
    case Outcome::wrong_bytes: return "wrong_bytes";
    case Outcome::not_read: return "not_read";
  }
  return "not_read";
}

void Counts::add(const Counts& o) {
  entries += o.entries, blobs += o.blobs, sidecars += o.sidecars, decoded += o.decoded;
  bytes_read += o.bytes_read, task_indexes += o.task_indexes, references += o.references;
  skipped += o.skipped;
}

std::uint64_t AuditReport::count(FindingId id) const {
  std::uint64_t n = 0;
  for (const auto& f : findings) n += f.id == id;
  return n;
}

std::uint64_t AuditReport::count(Severity s) const {
  std::uint64_t n = 0;
  for (const auto& f : findings) n += f.severity == s;
  return n;
}

int exit_status(const AuditReport& r) {
  if (r.interrupted) return static_cast<int>(Exit::interrupted);
  if (!r.complete || r.count(FindingId::unreadable)) return static_cast<int>(Exit::incomplete);
  return static_cast<int>(r.count(Severity::error) ? Exit::errors : Exit::clean);
}

}  // namespace casblob::audit
