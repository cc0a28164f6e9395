// The report's "suggest" list: the next command for what was found (restic check's hint),
// only commands that exist.
#include <cctype>
#include <string>
#include <vector>

#include "audit/scanner.hpp"

namespace casblob::audit {
namespace {

const Finding* first_of(const AuditReport& r, std::initializer_list<FindingId> ids) {
  for (const auto& f : r.findings)
    for (FindingId id : ids)
      if (f.id == id) return &f;
  return nullptr;
}

std::string quote(const std::string& s) {
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-' || c == ':')) return "'" + s + "'";
  return s;
}

}  // namespace

std::vector<std::string> suggestions(const AuditReport& r, const std::string& root_arg) {
  std::vector<std::string> s;
  const std::string root = quote(root_arg);
  if (r.interrupted || !r.complete)
    s.push_back("casblob audit --shard 1/4 " + root + "   # re-run; shards (1/4 .. 4/4) split it across machines, audit-merge joins them");
  if (r.level == Level::metadata)
    s.push_back("casblob audit --level data " + root + "   # decode every blob: keyMismatch, corrupt and wrong bytes need a full read");
  if (const Finding* f = first_of(r, {FindingId::corrupt, FindingId::keyMismatch, FindingId::badChecksumContentOk, FindingId::formatMismatch,
                                      FindingId::sidecarMissingUnreadable, FindingId::zeroLength}))
    s.push_back("casblob inspect " + quote(root_arg + "/" + f->path) + "   # what is inside the first damaged blob (" + std::string(name(f->id)) + ")");
  if (const Finding* f = first_of(r, {FindingId::wrongBytesUnder}))
    s.push_back("casblob decode --profile " + (f->profiles.empty() ? std::string("legacy") : f->profiles.front()) + " " +
                quote(root_arg + "/" + f->path) + " -   # what that reader returns instead of the content");
  bool v2_unreadable = false;
  for (const auto& row : r.readers)
    if (row.id == "legacy" && row.errors.count("version_unsupported")) v2_unreadable = true;
  if (v2_unreadable) s.push_back("casblob doctor " + root + "   # which Metaflow versions can read this store (v2 blobs found)");
  if (!r.gc.empty())
    s.push_back("casblob audit --gc-plan gc-plan.json " + root + "   # " + std::to_string(r.gc.size()) +
                " unreferenced blobs older than the grace period, with sizes (nothing is deleted)");
  if (r.sample.fraction < 1)
    s.push_back("casblob audit --sample " + std::to_string(r.sample.fraction) + " --sample-seed " + std::to_string(r.sample.seed + 1) + " " +
                root + "   # the next subset");
  if (r.count(Severity::error) && s.size() < 8)
    s.push_back("casblob audit --json audit.json --html audit.html " + root + "   # every finding, for a ticket or a browser");
  return s;
}

}  // namespace casblob::audit
