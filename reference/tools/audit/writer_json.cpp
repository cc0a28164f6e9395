// JSON and JSON lines: the machine-readable report, and its reader for audit-merge.
#include <nlohmann/json.hpp>

#include "audit/readers_table.hpp"
#include "audit/writers.hpp"

namespace casblob::audit {
namespace {

using nlohmann::json;
constexpr const char* kFormat = "casblob-audit/1";

json finding_json(const Finding& f) {
  json j = {{"id", std::string(name(f.id))}, {"severity", std::string(name(f.severity))}, {"flow", f.flow},
            {"path", f.path},                {"message", f.message}};
  j["key"] = f.key.empty() ? json(nullptr) : json(f.key);
  if (!f.detail.empty()) j["detail"] = f.detail;
  if (!f.profiles.empty()) j["profiles"] = f.profiles;
  j["size"] = f.size;
  j["mtime_ns"] = f.mtime_ns;
  return j;
}

json space_json(const SpaceRow& s) {
  return {{"blobs", s.blobs}, {"stored_bytes", s.stored}, {"content_bytes", s.content}, {"content_known_blobs", s.content_blobs}};
}

SpaceRow space_from(const json& j) {
  SpaceRow s;
  s.blobs = j.at("blobs").get<std::uint64_t>();
  s.stored = j.at("stored_bytes").get<std::uint64_t>();
  s.content = j.at("content_bytes").get<std::uint64_t>();
  s.content_blobs = j.at("content_known_blobs").get<std::uint64_t>();
  return s;
}

constexpr Outcome kOutcomes[] = {Outcome::right, Outcome::clean_error, Outcome::unhandled, Outcome::wrong_bytes, Outcome::not_read};

}  // namespace

std::string finding_json_line(const Finding& f) { return finding_json(f).dump() + "\n"; }

std::string to_json(const AuditReport& r) {
  json j;
  j["format"] = kFormat;
  j["root"] = r.root;
  j["level"] = std::string(name(r.level));
  j["shard"] = {{"index", r.shard.index}, {"count", r.shard.count}};
  j["sample"] = {{"fraction", r.sample.fraction}, {"seed", r.sample.seed}};
  j["max_size"] = r.max_size;
  j["jobs"] = r.jobs;
  j["started"] = r.started;
  j["seconds"] = r.seconds;
  j["complete"] = r.complete;
  j["interrupted"] = r.interrupted;
  j["lz4_available"] = r.lz4_available;
  j["grace_ns"] = r.grace_ns;
  j["flows"] = r.flows;
  j["reachability_unknown"] = r.reachability_unknown;
  const Counts& c = r.counts;
  j["counts"] = {{"entries", c.entries},           {"blobs", c.blobs},           {"sidecars", c.sidecars},
                 {"decoded", c.decoded},           {"bytes_read", c.bytes_read}, {"task_indexes", c.task_indexes},
                 {"references", c.references},     {"skipped_findings", c.skipped}};
  j["severity"] = {{"error", r.count(Severity::error)}, {"warning", r.count(Severity::warning)}, {"info", r.count(Severity::info)}};
  json by_id = json::object();
  for (const auto& fi : all_findings())
    if (auto n = r.count(fi.id)) by_id[std::string(fi.name)] = n;
  j["findings_by_id"] = by_id;
  json readers = json::array();
  for (const auto& row : r.readers) {
    json jr = {{"id", row.id}, {"reader", row.reader}, {"derived", row.derived}};
    for (Outcome o : kOutcomes) jr[std::string(name(o))] = row.count(o);
    jr["errors"] = row.errors;
    readers.push_back(jr);
  }
  j["readers"] = readers;
  json space;
  space["total"] = space_json(r.total);
  space["by_flow"] = json::object();
  for (const auto& [k, v] : r.by_flow) space["by_flow"][k] = space_json(v);
  space["by_encoding"] = json::object();
  for (const auto& [k, v] : r.by_encoding) space["by_encoding"][k] = space_json(v);
  space["by_flow_encoding"] = json::object();
  for (const auto& [flow, encs] : r.by_flow_encoding)
    for (const auto& [k, v] : encs) space["by_flow_encoding"][flow][k] = space_json(v);
  space["by_run"] = json::object();
  for (const auto& [k, v] : r.by_run)
    space["by_run"][k] = {{"task_indexes", v.task_indexes}, {"referenced", space_json(v.referenced)}, {"exclusive", space_json(v.exclusive)}};
  j["space"] = space;
  json gc = json::array();
  for (const auto& g : r.gc) gc.push_back({{"flow", g.flow}, {"key", g.key}, {"path", g.path}, {"size", g.size}, {"mtime_ns", g.mtime_ns}});
  j["gc_candidates"] = gc;
  j["suggest"] = r.suggest;
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_json(f));
  j["findings"] = findings;
  return j.dump(1) + "\n";
}

Result<AuditReport> report_from_json(std::string_view text) {
  auto j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != kFormat)
    return Error(Errc::usage, "not a casblob audit JSON report (format " + std::string(kFormat) + ")");
  try {
    AuditReport r;
    r.root = j.at("root").get<std::string>();
    r.level = j.at("level").get<std::string>() == "metadata" ? Level::metadata : Level::data;
    r.shard.index = j.at("shard").at("index").get<unsigned>();
    r.shard.count = j.at("shard").at("count").get<unsigned>();
    r.sample.fraction = j.at("sample").at("fraction").get<double>();
    r.sample.seed = j.at("sample").at("seed").get<std::uint64_t>();
    r.max_size = j.at("max_size").get<std::uint64_t>();
    r.jobs = j.at("jobs").get<unsigned>();
    r.started = j.at("started").get<std::string>();
    r.seconds = j.at("seconds").get<double>();
    r.complete = j.at("complete").get<bool>();
    r.interrupted = j.at("interrupted").get<bool>();
    r.lz4_available = j.at("lz4_available").get<bool>();
    r.grace_ns = j.at("grace_ns").get<std::int64_t>();
    r.flows = j.at("flows").get<std::vector<std::string>>();
    r.reachability_unknown = j.at("reachability_unknown").get<std::vector<std::string>>();
    const json& c = j.at("counts");
    r.counts.entries = c.at("entries"), r.counts.blobs = c.at("blobs"), r.counts.sidecars = c.at("sidecars");
    r.counts.decoded = c.at("decoded"), r.counts.bytes_read = c.at("bytes_read");
    r.counts.task_indexes = c.at("task_indexes"), r.counts.references = c.at("references");
    r.counts.skipped = c.at("skipped_findings");
    for (const json& jr : j.at("readers")) {
      ReaderRow row;
      row.id = jr.at("id").get<std::string>();
      row.reader = jr.at("reader").get<std::string>();
      row.derived = jr.at("derived").get<bool>();
      for (Outcome o : kOutcomes) row.count(o) = jr.at(std::string(name(o))).get<std::uint64_t>();
      row.errors = jr.at("errors").get<std::map<std::string, std::uint64_t>>();
      r.readers.push_back(row);
    }
    const json& sp = j.at("space");
    r.total = space_from(sp.at("total"));
    for (auto it = sp.at("by_flow").begin(); it != sp.at("by_flow").end(); ++it) r.by_flow[it.key()] = space_from(*it);
    for (auto it = sp.at("by_encoding").begin(); it != sp.at("by_encoding").end(); ++it) r.by_encoding[it.key()] = space_from(*it);
    for (auto f = sp.at("by_flow_encoding").begin(); f != sp.at("by_flow_encoding").end(); ++f)
      for (auto it = f->begin(); it != f->end(); ++it) r.by_flow_encoding[f.key()][it.key()] = space_from(*it);
    for (auto it = sp.at("by_run").begin(); it != sp.at("by_run").end(); ++it) {
      RunSpace rs;
      rs.task_indexes = it->at("task_indexes");
      rs.referenced = space_from(it->at("referenced"));
      rs.exclusive = space_from(it->at("exclusive"));
      r.by_run[it.key()] = rs;
    }
    for (const json& g : j.at("gc_candidates"))
      r.gc.push_back({g.at("flow"), g.at("key"), g.at("path"), g.at("size"), g.at("mtime_ns")});
    r.suggest = j.at("suggest").get<std::vector<std::string>>();
    for (const json& jf : j.at("findings")) {
      Finding f;
      auto id = finding_from_name(jf.at("id").get<std::string>());
      auto sev = severity_from_name(jf.at("severity").get<std::string>());
      if (!id || !sev) return Error(Errc::usage, "unknown finding id or severity in the report");
      f.id = *id;
      f.severity = *sev;
      f.flow = jf.at("flow");
      f.path = jf.at("path");
      f.message = jf.at("message");
      if (!jf.at("key").is_null()) f.key = jf.at("key");
      f.detail = jf.value("detail", "");
      if (jf.contains("profiles")) f.profiles = jf.at("profiles").get<std::vector<std::string>>();
      f.size = jf.at("size");
      f.mtime_ns = jf.at("mtime_ns");
      r.findings.push_back(std::move(f));
    }
    return r;
  } catch (const json::exception& e) {
    return Error(Errc::usage, std::string("malformed casblob audit report: ") + e.what());
  }
}

std::string gc_plan_json(const AuditReport& r) {
  json keys = json::array();
  std::uint64_t total = 0;
  for (const auto& g : r.gc) {
    keys.push_back({{"flow", g.flow}, {"key", g.key}, {"path", g.path}, {"size", g.size}, {"mtime_ns", g.mtime_ns}});
    total += g.size;
  }
  json j = {{"format", "casblob-gc-plan/1"},
            {"root", r.root},
            {"grace_days", static_cast<double>(r.grace_ns) / (86400.0 * 1e9)},
            {"generated", r.started},
            {"complete", r.complete && r.reachability_unknown.empty()},
            {"flows_without_reachability", r.reachability_unknown},
            {"count", keys.size()},
            {"bytes", total},
            {"note", "unreferenced by every task index and older than the grace period; casblob deletes nothing"},
            {"keys", keys}};
  return j.dump(1) + "\n";
}

}  // namespace casblob::audit
