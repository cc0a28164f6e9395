// The terminal summary of audit and doctor, and the Markdown tables shared with the docs.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "audit/exit_codes.hpp"
#include "audit/writers.hpp"

namespace casblob::audit {
namespace {

std::string pad(std::string s, std::size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s;
}

std::string rpad(std::string s, std::size_t w) {
  if (s.size() < w) s.insert(0, w - s.size(), ' ');
  return s;
}

std::string ratio(const SpaceRow& s) {
  if (!s.content_blobs || !s.stored) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(s.content) / static_cast<double>(s.stored));
  return buf;
}

std::string space_line(const SpaceRow& s) {
  std::string line = std::to_string(s.blobs) + " blobs, " + human_bytes(s.stored) + " stored";
  if (s.content_blobs) {
    line += ", " + human_bytes(s.content) + " content";
    if (s.content_blobs < s.blobs) line += " (of " + std::to_string(s.content_blobs) + " blobs)";
    line += ", ratio " + ratio(s);
  }
  return line;
}

void readers_table(std::ostringstream& o, const AuditReport& r) {
  std::size_t w = 8;
  for (const auto& row : r.readers) w = std::max(w, row.reader.size() + row.id.size() + 4);
  o << "  " << pad("reader", w) << rpad("right", 9) << rpad("clean", 9) << rpad("unhandled", 10) << rpad("WRONG", 9)
    << rpad("not read", 10) << "\n";
  for (const auto& row : r.readers) {
    o << "  " << pad(row.reader + " [" + row.id + "]", w) << rpad(std::to_string(row.count(Outcome::right)), 9)
      << rpad(std::to_string(row.count(Outcome::clean_error)), 9) << rpad(std::to_string(row.count(Outcome::unhandled)), 10)
      << rpad(std::to_string(row.count(Outcome::wrong_bytes)), 9) << rpad(std::to_string(row.count(Outcome::not_read)), 10)
      << "\n";
  }
}

}  // namespace

std::string human_bytes(std::uint64_t n) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1000 && u < 5) v /= 1000, ++u;
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

std::string to_text(const AuditReport& r) {
  std::ostringstream o;
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.1f", r.seconds);
  o << "casblob audit " << r.root << "  (level " << name(r.level);
  if (r.shard.count > 1) o << ", shard " << r.shard.index << "/" << r.shard.count;
  if (r.sample.fraction < 1) o << ", sample " << r.sample.fraction << " seed " << r.sample.seed;
  o << ", " << r.jobs << " job" << (r.jobs == 1 ? "" : "s") << ", " << secs << " s)\n";
  if (r.interrupted) o << "  INTERRUPTED: this report is partial\n";
  else if (!r.complete) o << "  INCOMPLETE: some objects could not be listed or read\n";
  o << "  objects   " << space_line(r.total) << "; " << r.counts.decoded << " decoded, " << r.counts.task_indexes
    << " task indexes, " << r.counts.references << " references\n";
  for (const auto& [enc, s] : r.by_encoding) o << "    " << pad(enc, 12) << space_line(s) << "\n";
  o << "  findings  " << r.count(Severity::error) << " error, " << r.count(Severity::warning) << " warning, "
    << r.count(Severity::info) << " info";
  if (r.counts.skipped) o << " (" << r.counts.skipped << " skipped by --skip-list)";
  o << "\n";
  for (const auto& fi : all_findings()) {
    std::uint64_t n = r.count(fi.id);
    if (!n) continue;
    const Finding* first = nullptr;
    for (const auto& f : r.findings)
      if (f.id == fi.id) {
        first = &f;
        break;
      }
    o << "    " << pad(std::string(name(first->severity)), 8) << pad(std::string(fi.name), 26) << rpad(std::to_string(n), 8)
      << "  e.g. " << first->path << "\n";
  }
  if (!r.reachability_unknown.empty()) {
    o << "  reachability unknown for";
    for (const auto& f : r.reachability_unknown) o << " " << f;
    o << " (a task index could not be read): no blob there is called unreferenced\n";
  }
  o << "  who can read it (blobs)\n";
  readers_table(o, r);
  o << "  this build decodes: gzip (v1), raw" << (r.lz4_available ? ", lz4 frame (v2)" : " (no lz4: v2 not verified)") << "\n";
  if (!r.by_flow.empty()) {
    o << "  space by flow\n";
    for (const auto& [flow, s] : r.by_flow) o << "    " << pad(flow, 24) << space_line(s) << "\n";
  }
  if (!r.suggest.empty()) {
    o << "  suggest\n";
    for (const auto& s : r.suggest) o << "    " << s << "\n";
  }
  return o.str();
}

std::string to_doctor_text(const AuditReport& r) {
  std::ostringstream o;
  o << "casblob doctor " << r.root << "  (" << r.total.blobs << " blobs, level " << name(r.level) << ")\n";
  readers_table(o, r);
  for (const auto& row : r.readers) {
    const std::uint64_t bad = row.count(Outcome::wrong_bytes) + row.count(Outcome::unhandled) + row.count(Outcome::clean_error);
    if (!bad) {
      if (row.count(Outcome::not_read) == 0) o << "  ok      " << row.reader << ": reads every blob right\n";
      continue;
    }
    o << "  " << pad(row.count(Outcome::wrong_bytes) ? "DANGER" : "fails", 8) << row.reader << ":";
    if (auto n = row.count(Outcome::wrong_bytes)) o << " " << n << " wrong bytes";
    if (auto n = row.count(Outcome::unhandled)) o << " " << n << " unhandled";
    if (auto n = row.count(Outcome::clean_error)) o << " " << n << " clean errors";
    std::string top;
    std::uint64_t most = 0;
    for (const auto& [label, n] : row.errors)
      if (n > most) most = n, top = label;
    if (!top.empty()) o << " (mostly " << top << ")";
    o << "\n";
  }
  o << "  this build of casblob decodes gzip (v1), raw" << (r.lz4_available ? " and lz4 frames (v2)" : "; no lz4 (v2 blobs not verified)") << "\n";
  if (r.level == Level::metadata) o << "  (--level metadata: blobs were not decoded; outcomes that need a decode are \"not read\")\n";
  return o.str();
}

std::string findings_table_markdown() {
  std::ostringstream o;
  o << "| id | severity | found at | checks | meaning |\n|---|---|---|---|---|\n";
  for (const auto& f : all_findings())
    o << "| `" << f.name << "` | " << name(f.severity) << " | " << f.level << " | " << (f.checks.empty() ? "-" : f.checks)
      << " | " << f.meaning << " |\n";
  return o.str();
}

std::string exit_codes_markdown() {
  std::ostringstream o;
  o << "| code | meaning |\n|---|---|\n";
  for (const auto& e : all_exit_codes()) o << "| " << static_cast<int>(e.code) << " | " << e.meaning << " |\n";
  return o.str();
}

}  // namespace casblob::audit
