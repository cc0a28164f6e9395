// One self-contained HTML page: inline CSS, two inline SVG charts (bytes by flow and
// encoding; readers x outcome), the tables of the Markdown report. No script, no external
// resource: it opens from a file, in a mail, or as a CI artifact.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "audit/writers.hpp"

namespace casblob::audit {
namespace {

std::string esc(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += (static_cast<unsigned char>(c) < 0x20 && c != '\n') ? ' ' : c;
    }
  }
  return o;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Segment {
  std::string label, color;
  double value;
};

struct Bar {
  std::string label;
  std::vector<Segment> segments;
  std::string total_label;
};

// Horizontal stacked bars, one per row, scaled to the largest total; a legend on top.
std::string stacked_bars(const std::string& title, const std::vector<Bar>& bars, const std::vector<std::pair<std::string, std::string>>& legend) {
  const double label_w = 330, bar_w = 420, row_h = 26, top = 48;
  double max_total = 0;
  for (const auto& b : bars) {
    double t = 0;
    for (const auto& s : b.segments) t += s.value;
    max_total = std::max(max_total, t);
  }
  const double h = top + row_h * static_cast<double>(bars.size()) + 12;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" << label_w + bar_w + 130 << "\" height=\"" << h
    << "\" viewBox=\"0 0 " << label_w + bar_w + 130 << " " << h << "\"><title>" << esc(title) << "</title>";
  o << "<text x=\"0\" y=\"16\" class=\"t\">" << esc(title) << "</text>";
  double lx = 0;
  for (const auto& [name, color] : legend) {
    o << "<rect x=\"" << lx << "\" y=\"26\" width=\"12\" height=\"12\" fill=\"" << color << "\"/><text x=\"" << lx + 16
      << "\" y=\"36\" class=\"l\">" << esc(name) << "</text>";
    lx += 24 + 7.0 * static_cast<double>(name.size());
  }
  double y = top;
  for (const auto& b : bars) {
    o << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 16 << "\" text-anchor=\"end\" class=\"l\">" << esc(b.label) << "</text>";
    double x = label_w;
    for (const auto& s : b.segments) {
      if (s.value <= 0 || max_total <= 0) continue;
      const double w = std::max(1.0, bar_w * s.value / max_total);
      o << "<rect x=\"" << num(x) << "\" y=\"" << y + 3 << "\" width=\"" << num(w) << "\" height=\"" << row_h - 8 << "\" fill=\""
        << s.color << "\"><title>" << esc(b.label + ": " + s.label) << "</title></rect>";
      x += w;
    }
    o << "<text x=\"" << num(x + 6) << "\" y=\"" << y + 16 << "\" class=\"l\">" << esc(b.total_label) << "</text>";
    y += row_h;
  }
  o << "</svg>";
  return o.str();
}

const char* kEncodingColors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#9c755f", "#bab0ac"};

std::string encoding_chart(const AuditReport& r) {
  std::vector<std::string> encodings;
  for (const auto& [enc, s] : r.by_encoding) encodings.push_back(enc);
  auto color = [&](const std::string& enc) {
    auto i = static_cast<std::size_t>(std::find(encodings.begin(), encodings.end(), enc) - encodings.begin());
    return std::string(kEncodingColors[i % 7]);
  };
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& e : encodings) legend.emplace_back(e, color(e));
  std::vector<Bar> bars;
  for (const auto& [flow, encs] : r.by_flow_encoding) {
    Bar b;
    b.label = flow;
    std::uint64_t total = 0, blobs = 0;
    for (const auto& [enc, s] : encs) {
      b.segments.push_back({enc + " " + human_bytes(s.stored) + " (" + std::to_string(s.blobs) + " blobs)", color(enc), static_cast<double>(s.stored)});
      total += s.stored, blobs += s.blobs;
    }
    b.total_label = human_bytes(total) + " (" + std::to_string(blobs) + " blobs)";
    bars.push_back(b);
  }
  return stacked_bars("Bytes stored per flow, by encoding", bars, legend);
}

std::string readers_chart(const AuditReport& r) {
  const std::vector<std::pair<Outcome, std::string>> colors = {{Outcome::right, "#59a14f"},
                                                               {Outcome::clean_error, "#bab0ac"},
                                                               {Outcome::unhandled, "#f28e2b"},
                                                               {Outcome::wrong_bytes, "#e15759"},
                                                               {Outcome::not_read, "#e8e8e8"}};
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& [o, c] : colors) legend.emplace_back(std::string(name(o)), c);
  std::vector<Bar> bars;
  for (const auto& row : r.readers) {
    Bar b;
    b.label = row.reader;
    for (const auto& [o, c] : colors)
      b.segments.push_back({std::string(name(o)) + " " + std::to_string(row.count(o)), c, static_cast<double>(row.count(o))});
    b.total_label = std::to_string(row.count(Outcome::right)) + " right";
    if (auto w = row.count(Outcome::wrong_bytes)) b.total_label += ", " + std::to_string(w) + " WRONG";
    bars.push_back(b);
  }
  return stacked_bars("Who can read this store: blobs per reader and outcome", bars, legend);
}

std::string space_cells(const SpaceRow& s) {
  std::ostringstream o;
  o << "<td>" << s.blobs << "</td><td>" << human_bytes(s.stored) << "</td><td>" << (s.content_blobs ? human_bytes(s.content) : "-")
    << "</td>";
  return o.str();
}

constexpr std::size_t kMaxListed = 2000;

}  // namespace

std::string to_html(const AuditReport& r) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>casblob audit: " << esc(r.root) << "</title>"
    << "<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
       "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td:nth-child(n+2){font-variant-numeric:tabular-nums}"
       ".error{color:#b00}.warning{color:#a60}.info{color:#555}code{font-size:12px}svg text.t{font:bold 14px sans-serif}"
       "svg text.l{font:12px sans-serif}</style></head><body>\n";
  o << "<h1>casblob audit</h1><p><code>" << esc(r.root) << "</code><br>level <b>" << name(r.level) << "</b>, shard "
    << r.shard.index << "/" << r.shard.count << ", sample " << r.sample.fraction << ", " << r.jobs << " jobs, started "
    << esc(r.started) << ", " << num(r.seconds) << " s. "
    << (r.interrupted ? "<b class=\"error\">Interrupted: partial report.</b>"
                      : r.complete ? "Complete." : "<b class=\"error\">Incomplete.</b>")
    << "</p>\n";
  o << "<p><b class=\"error\">" << r.count(Severity::error) << " error</b>, <b class=\"warning\">" << r.count(Severity::warning)
    << " warning</b>, " << r.count(Severity::info) << " info findings over " << r.total.blobs << " blobs ("
    << human_bytes(r.total.stored) << " stored), " << r.counts.task_indexes << " task indexes.</p>\n";
  o << readers_chart(r) << "\n" << encoding_chart(r) << "\n";
  o << "<h2>Findings by id</h2><table><tr><th>id</th><th>severity</th><th>count</th><th>meaning</th></tr>";
  for (const auto& fi : all_findings())
    if (auto n = r.count(fi.id))
      o << "<tr><td><code>" << fi.name << "</code></td><td class=\"" << name(fi.severity) << "\">" << name(fi.severity) << "</td><td>"
        << n << "</td><td>" << esc(fi.meaning) << "</td></tr>";
  o << "</table>\n<h2>Who can read this store</h2><table><tr><th>reader</th><th>right</th><th>clean error</th><th>unhandled</th>"
       "<th>wrong bytes</th><th>not read</th></tr>";
  for (const auto& row : r.readers)
    o << "<tr><td>" << esc(row.reader) << " <code>" << esc(row.id) << "</code></td><td>" << row.count(Outcome::right) << "</td><td>"
      << row.count(Outcome::clean_error) << "</td><td>" << row.count(Outcome::unhandled) << "</td><td"
      << (row.count(Outcome::wrong_bytes) ? " class=\"error\"" : "") << ">" << row.count(Outcome::wrong_bytes) << "</td><td>"
      << row.count(Outcome::not_read) << "</td></tr>";
  o << "</table><p>This build decodes gzip (v1) and raw" << (r.lz4_available ? " and lz4 frames (v2)." : "; it has no lz4 codec.")
    << "</p>\n<h2>Space</h2><table><tr><th>flow</th><th>blobs</th><th>stored</th><th>content</th></tr>";
  for (const auto& [flow, s] : r.by_flow) o << "<tr><td>" << esc(flow) << "</td>" << space_cells(s) << "</tr>";
  o << "<tr><td><b>total</b></td>" << space_cells(r.total) << "</tr></table>";
  o << "<table><tr><th>encoding</th><th>blobs</th><th>stored</th><th>content</th></tr>";
  for (const auto& [enc, s] : r.by_encoding) o << "<tr><td>" << esc(enc) << "</td>" << space_cells(s) << "</tr>";
  o << "</table>\n";
  if (!r.by_run.empty()) {
    std::vector<std::pair<std::string, RunSpace>> runs(r.by_run.begin(), r.by_run.end());
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.second.referenced.stored > b.second.referenced.stored; });
    o << "<table><tr><th>run</th><th>task indexes</th><th>blobs</th><th>stored</th><th>only this run</th></tr>";
    for (std::size_t i = 0; i < runs.size() && i < 50; ++i)
      o << "<tr><td>" << esc(runs[i].first) << "</td><td>" << runs[i].second.task_indexes << "</td><td>"
        << runs[i].second.referenced.blobs << "</td><td>" << human_bytes(runs[i].second.referenced.stored) << "</td><td>"
        << human_bytes(runs[i].second.exclusive.stored) << "</td></tr>";
    o << "</table>\n";
  }
  if (!r.suggest.empty()) {
    o << "<h2>Suggested next commands</h2><pre>";
    for (const auto& s : r.suggest) o << esc(s) << "\n";
    o << "</pre>\n";
  }
  o << "<h2>Findings</h2><table><tr><th>severity</th><th>id</th><th>path</th><th>message</th></tr>";
  std::size_t shown = 0;
  for (const auto& f : r.findings) {
    if (shown++ == kMaxListed) break;
    o << "<tr><td class=\"" << name(f.severity) << "\">" << name(f.severity) << "</td><td><code>" << name(f.id) << "</code></td><td><code>"
      << esc(f.path) << "</code></td><td>" << esc(f.message) << "</td></tr>";
  }
  o << "</table>";
  if (r.findings.size() > kMaxListed) o << "<p>" << r.findings.size() - kMaxListed << " more findings in the JSON report.</p>";
  o << "\n</body></html>\n";
  return o.str();
}

}  // namespace casblob::audit
