// Report writers: the terminal summary, doctor's readers table, JSON (summary + findings,
// read back by audit-merge), JSON lines (one finding per line, streamed), Markdown, and one
// self-contained HTML page with SVG charts. Plus the gc plan and the tables the spec and
// the README show (findings, exit codes), generated here so that they have one source.
#pragma once

#include <string>
#include <vector>

#include "audit/report.hpp"
#include "casblob/error.hpp"

namespace casblob::audit {

std::string to_text(const AuditReport& r);
std::string to_doctor_text(const AuditReport& r);
std::string to_json(const AuditReport& r);
std::string to_markdown(const AuditReport& r);
std::string to_html(const AuditReport& r);
std::string finding_json_line(const Finding& f);  // one line, '\n' included

// Reads a report to_json() wrote (audit-merge). usage when it is not one.
Result<AuditReport> report_from_json(std::string_view text);

// --gc-plan: the unreferenced blobs older than the grace period, with their sizes. Nothing in
// casblob deletes them.
std::string gc_plan_json(const AuditReport& r);

// The spec's and README's tables.
std::string findings_table_markdown();
std::string exit_codes_markdown();

// "1.5 MB" (10^6), for people.
std::string human_bytes(std::uint64_t n);

}  // namespace casblob::audit
