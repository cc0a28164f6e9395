// The Markdown report (an issue or a wiki page): the same sections as the HTML page.
#include <algorithm>
#include <sstream>

#include "audit/writers.hpp"

namespace casblob::audit {
namespace {

// Table cells: no pipes or newlines from paths and messages.
std::string cell(std::string s) {
  for (char& c : s)
    if (c == '|' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string space_cells(const SpaceRow& s) {
  std::ostringstream o;
  o << s.blobs << " | " << human_bytes(s.stored) << " | " << (s.content_blobs ? human_bytes(s.content) : "-") << " | ";
  if (s.content_blobs && s.stored) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(s.content) / static_cast<double>(s.stored));
    o << buf;
  } else {
    o << "-";
  }
  return o.str();
}

constexpr std::size_t kMaxListed = 500;

}  // namespace

std::string to_markdown(const AuditReport& r) {
  std::ostringstream o;
  o << "# casblob audit: " << cell(r.root) << "\n\n";
  o << "Level `" << name(r.level) << "`, shard " << r.shard.index << "/" << r.shard.count << ", sample " << r.sample.fraction
    << ", " << r.jobs << " jobs, started " << r.started << ", " << r.seconds << " s. ";
  o << (r.interrupted ? "**Interrupted: partial report.**" : r.complete ? "Complete." : "**Incomplete: some objects could not be read.**")
    << "\n\n";
  o << "**" << r.count(Severity::error) << " error, " << r.count(Severity::warning) << " warning, " << r.count(Severity::info)
    << " info** findings over " << r.total.blobs << " blobs (" << human_bytes(r.total.stored) << " stored), "
    << r.counts.task_indexes << " task indexes.\n\n";
  o << "## Findings by id\n\n| id | severity | count |\n|---|---|---:|\n";
  for (const auto& fi : all_findings())
    if (auto n = r.count(fi.id)) o << "| `" << fi.name << "` | " << name(fi.severity) << " | " << n << " |\n";
  o << "\n## Who can read this store\n\n| reader | right | clean error | unhandled | wrong bytes | not read |\n|---|---:|---:|---:|---:|---:|\n";
  for (const auto& row : r.readers)
    o << "| " << cell(row.reader) << " (`" << row.id << "`) | " << row.count(Outcome::right) << " | " << row.count(Outcome::clean_error)
      << " | " << row.count(Outcome::unhandled) << " | " << row.count(Outcome::wrong_bytes) << " | " << row.count(Outcome::not_read)
      << " |\n";
  o << "\nThis build decodes gzip (v1) and raw" << (r.lz4_available ? " and lz4 frames (v2)." : "; it has no lz4 codec.") << "\n";
  o << "\n## Space\n\n| flow | blobs | stored | content | ratio |\n|---|---:|---:|---:|---:|\n";
  for (const auto& [flow, s] : r.by_flow) o << "| " << cell(flow) << " | " << space_cells(s) << " |\n";
  o << "| **total** | " << space_cells(r.total) << " |\n";
  o << "\n| encoding | blobs | stored | content | ratio |\n|---|---:|---:|---:|---:|\n";
  for (const auto& [enc, s] : r.by_encoding) o << "| " << enc << " | " << space_cells(s) << " |\n";
  if (!r.by_run.empty()) {
    std::vector<std::pair<std::string, RunSpace>> runs(r.by_run.begin(), r.by_run.end());
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.second.referenced.stored > b.second.referenced.stored; });
    o << "\n| run | task indexes | blobs | stored | only this run: blobs | only this run: stored |\n|---|---:|---:|---:|---:|---:|\n";
    for (std::size_t i = 0; i < runs.size() && i < 50; ++i) {
      const auto& [run, s] = runs[i];
      o << "| " << cell(run) << " | " << s.task_indexes << " | " << s.referenced.blobs << " | " << human_bytes(s.referenced.stored)
        << " | " << s.exclusive.blobs << " | " << human_bytes(s.exclusive.stored) << " |\n";
    }
    if (runs.size() > 50) o << "\n(" << runs.size() - 50 << " smaller runs not shown; the JSON report has all.)\n";
  }
  if (!r.suggest.empty()) {
    o << "\n## Suggested next commands\n\n```sh\n";
    for (const auto& s : r.suggest) o << s << "\n";
    o << "```\n";
  }
  o << "\n## Findings\n\n| severity | id | path | message |\n|---|---|---|---|\n";
  std::size_t shown = 0;
  for (const auto& f : r.findings) {
    if (shown++ == kMaxListed) break;
    o << "| " << name(f.severity) << " | `" << name(f.id) << "` | `" << cell(f.path) << "` | " << cell(f.message) << " |\n";
  }
  if (r.findings.size() > kMaxListed) o << "\n(" << r.findings.size() - kMaxListed << " more in the JSON report.)\n";
  return o.str();
}

}  // namespace casblob::audit
