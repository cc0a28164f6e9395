// casblob audit / doctor / audit-merge: fsck for a Metaflow datastore (issue #15,
// reference/tools/audit/README.md). The tool library does the work; this file maps options,
// output files, the progress line, signals and exit codes.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "audit/exit_codes.hpp"
#include "audit/merge.hpp"
#include "audit/scanner.hpp"
#include "audit/writers.hpp"
#include "commands.hpp"
#include "io_targets.hpp"
#include "options.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace casblob::cli {
namespace {

using audit::Exit;

std::atomic<bool> g_stop{false};

int code(Exit e) { return static_cast<int>(e); }

// An audit error: the line every subcommand prints, with the audit's exit codes.
int audit_fail(const Error& e) {
  std::cerr << "casblob: " << e.label() << ": " << printable(e.message) << "\n";
  if (e.code == Errc::usage) return code(Exit::usage);
  if (e.code == Errc::not_found || e.code == Errc::io_error) return code(Exit::not_a_store);
  return 1;
}

// The JSON lines stream: one finding per line as the workers make them, then a summary line.
class JsonlStream {
 public:
  static Result<std::unique_ptr<JsonlStream>> open(const std::string& path) {
    auto s = std::unique_ptr<JsonlStream>(new JsonlStream);
    if (path != "-") {
      // A file atomically, a device or FIFO written through (io_targets.hpp); created now, so
      // that a path that cannot be written fails before the scan, not after it.
      s->target_.emplace(OutputTarget::make(path, false, Durability::process));
      CASBLOB_TRY(s->target_->sink().write({}));
    }
    return s;
  }
  void write(const std::string& line) {
    if (!status_.ok()) return;
    if (target_) status_ = target_->sink().write(as_bytes(line));
    else status_ = stdout_.write(as_bytes(line));
  }
  Status close() {
    if (status_.ok() && target_) status_ = target_->commit();
    return status_;
  }

 private:
  JsonlStream() = default;
  std::optional<OutputTarget> target_;
  StdoutSink stdout_;
  Status status_;
};

std::string summary_line(const audit::AuditReport& r) {
  std::ostringstream o;
  o << "{\"type\": \"summary\", \"root\": \"" << r.root << "\", \"complete\": " << (r.complete ? "true" : "false")
    << ", \"interrupted\": " << (r.interrupted ? "true" : "false") << ", \"blobs\": " << r.total.blobs
    << ", \"error\": " << r.count(audit::Severity::error) << ", \"warning\": " << r.count(audit::Severity::warning)
    << ", \"info\": " << r.count(audit::Severity::info) << "}\n";
  return o.str();
}

std::string typed_finding_line(const audit::Finding& f) {
  std::string line = audit::finding_json_line(f);
  return "{\"type\": \"finding\", " + line.substr(1);
}

std::string eta(double seconds) {
  char buf[32];
  if (seconds >= 3600) std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60) % 60);
  else std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(seconds / 60), static_cast<int>(seconds) % 60);
  return buf;
}

// The progress line on stderr: objects, bytes, rates, and an ETA from the units done.
struct ProgressLine {
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  bool drawn = false;
  void operator()(const audit::Progress& p) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double frac = p.units ? static_cast<double>(p.units_done) / static_cast<double>(p.units) : 0;
    std::fprintf(stderr, "\raudit %llu objects  %s  %.0f obj/s  %s/s  %3.0f%%  ETA %s   ", static_cast<unsigned long long>(p.objects),
                 audit::human_bytes(p.bytes).c_str(), s > 0 ? static_cast<double>(p.objects) / s : 0.0,
                 audit::human_bytes(static_cast<std::uint64_t>(s > 0 ? static_cast<double>(p.bytes) / s : 0)).c_str(), frac * 100,
                 frac > 0.01 ? eta(s / frac - s).c_str() : "?");
    std::fflush(stderr);
    drawn = true;
  }
  void end() {
    if (drawn) std::fprintf(stderr, "\n");
  }
};

Result<double> parse_sample(const std::string& text) {
  try {
    std::size_t used = 0;
    double v = std::stod(text, &used);
    if (used < text.size() && text.substr(used) == "%") v /= 100, ++used;
    if (used != text.size() || !(v > 0) || v > 1) throw std::invalid_argument("range");
    return v;
  } catch (const std::exception&) {
    return Error(Errc::usage, "--sample takes a fraction in (0, 1] or a percentage such as 10%");
  }
}

Status read_skip_list(const std::string& path, std::set<std::string>& keys) {
  std::ifstream in(path);
  if (!in) return Error(Errc::usage, "--skip-list: cannot read " + path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.erase(0, 1);
    if (line.empty()) continue;
    if (!is_valid_key(line)) return Error(Errc::usage, path + ":" + std::to_string(n) + ": not a key (40 lowercase hex digits)");
    keys.insert(line);
  }
  return {};
}

Status parse_severity(const std::string& spec, audit::AuditOptions& ao) {
  auto eq = spec.find('=');
  auto id = audit::finding_from_name(spec.substr(0, eq));
  if (eq == std::string::npos || !id) return Error(Errc::usage, "--severity takes ID=LEVEL with a finding id (casblob audit --list-findings)");
  const std::string level = spec.substr(eq + 1);
  if (level == "ignore") return ao.ignore.insert(*id), Status{};
  auto sev = audit::severity_from_name(level);
  if (!sev) return Error(Errc::usage, "--severity level must be error, warning, info or ignore");
  ao.severity[*id] = *sev;
  return {};
}

// Options shared by audit and doctor.
struct ScanOpts {
  std::string root, level = "data", shard, sample, max_size = std::to_string(kDefaultMaxSize), skip_list;
  std::vector<std::string> flows, severity;
  unsigned jobs = 0;
  std::uint64_t sample_seed = 0;
  double grace_days = 14;
  StorageOptions storage;  // --endpoint-url for s3:// roots
  bool progress = false, no_progress = false;
  std::optional<std::string> json, jsonl, markdown, html, gc_plan;
};

void add_scan_options(CLI::App* cmd, ScanOpts& o) {
  cmd->add_option("--level", o.level, "metadata (list, stat, sidecar, first bytes) or data (default: full strict decode, every profile)")
      ->check(CLI::IsMember({"metadata", "data"}));
  cmd->add_option("--flow", o.flows, "Audit only this flow (repeatable)")->allow_extra_args(false);
  cmd->add_option("--jobs", o.jobs, "Worker threads, and s3:// requests at once (default: the cores)");
  add_storage_options(cmd, o.storage, false);
  cmd->add_option("--shard", o.shard, "K/N: audit only the K-th of N slices of the 256 <kk> prefixes (join with audit-merge)");
  cmd->add_option("--sample", o.sample, "Decode only a deterministic subset of keys: a fraction or N% (--level data)");
  cmd->add_option("--sample-seed", o.sample_seed, "Which subset --sample takes (default 0)");
  cmd->add_option("--max-size", o.max_size, "strict's limit on decoded size in bytes (default 4 GiB)");
  cmd->add_option("--skip-list", o.skip_list, "File of keys (one per line, # comments) to report nothing for");
  cmd->add_option("--severity", o.severity, "ID=LEVEL: change a finding's severity (error, warning, info, ignore); repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--grace-days", o.grace_days, "--gc-plan lists unreferenced blobs older than this (default 14)");
  cmd->add_option("--json", o.json, "Write the JSON report (summary + findings) to FILE (- = stdout)");
  cmd->add_option("--jsonl", o.jsonl, "Stream one finding per line to FILE, then a summary line (- = stdout)");
  cmd->add_option("--markdown", o.markdown, "Write a Markdown report to FILE");
  cmd->add_option("--html", o.html, "Write a self-contained HTML report with SVG charts to FILE");
  cmd->add_option("--gc-plan", o.gc_plan, "Write the unreferenced blobs older than the grace period, with sizes, to FILE (deletes nothing)");
  cmd->add_flag("--progress", o.progress, "Progress line on stderr even when it is not a terminal");
  cmd->add_flag("--no-progress", o.no_progress, "No progress line");
  cmd->add_option("ROOT", o.root, "Datastore root (Metaflow's .metaflow folder, or s3://bucket/prefix)");
}

Result<audit::AuditOptions> scan_options(const ScanOpts& o) {
  audit::AuditOptions ao;
  ao.flows = o.flows;
  ao.level = o.level == "metadata" ? audit::Level::metadata : audit::Level::data;
  ao.jobs = o.jobs;
  if (!o.shard.empty()) {
    unsigned k = 0, n = 0;
    char extra = 0;
    if (std::sscanf(o.shard.c_str(), "%u/%u%c", &k, &n, &extra) != 2)
      return Error(Errc::usage, "--shard takes K/N, such as 2/8");
    ao.shard = {k, n};
  }
  if (!o.sample.empty()) {
    auto p = parse_sample(o.sample);
    if (!p) return p.error();
    ao.sample.fraction = *p;
  }
  ao.sample.seed = o.sample_seed;
  auto max = parse_size(o.max_size, "--max-size");
  if (!max) return max.error();
  ao.max_size = *max;
  if (!o.skip_list.empty()) CASBLOB_TRY(read_skip_list(o.skip_list, ao.skip_keys));
  for (const auto& s : o.severity) CASBLOB_TRY(parse_severity(s, ao));
  if (!(o.grace_days >= 0)) return Error(Errc::usage, "--grace-days must be >= 0");
  ao.grace_ns = static_cast<std::int64_t>(o.grace_days * 86400.0 * 1e9);
  return ao;
}

// Writes every report file asked for; the first failure is returned.
Status write_outputs(const ScanOpts& o, const audit::AuditReport& r) {
  if (o.json) CASBLOB_TRY(write_report_file(*o.json, audit::to_json(r)));
  if (o.markdown) CASBLOB_TRY(write_report_file(*o.markdown, audit::to_markdown(r)));
  if (o.html) CASBLOB_TRY(write_report_file(*o.html, audit::to_html(r)));
  if (o.gc_plan) CASBLOB_TRY(write_report_file(*o.gc_plan, audit::gc_plan_json(r)));
  return {};
}

bool stdout_taken(const ScanOpts& o) { return o.json == "-" || o.jsonl == "-" || o.markdown == "-" || o.html == "-" || o.gc_plan == "-"; }

// Runs the scan of audit or doctor; prints with `text`; returns the exit code.
int run_scan(const ScanOpts& o, std::string (*text)(const audit::AuditReport&)) {
  if (o.root.empty()) return audit_fail(Error(Errc::usage, "ROOT is required"));
  auto ao = scan_options(o);
  if (!ao) return audit_fail(ao.error());
  StorageOptions so = o.storage;
  so.read_only = true;  // never writes into ROOT
  so.jobs = ao->jobs;   // one connection per worker on s3:// (0: the backend's default)
  auto storage = open_storage(o.root, so);
  if (!storage) return audit_fail(Error(storage.error().code == Errc::usage ? Errc::usage : Errc::not_found,
                                        "not a Metaflow datastore: " + storage.error().message));
  std::unique_ptr<JsonlStream> jsonl;
  std::mutex jsonl_mu;
  if (o.jsonl) {
    auto s = JsonlStream::open(*o.jsonl);
    if (!s) return audit_fail(s.error());
    jsonl = std::move(*s);
    ao->on_finding = [&](const audit::Finding& f) {
      std::lock_guard lock(jsonl_mu);
      jsonl->write(typed_finding_line(f));
    };
  }
  ProgressLine line;
  if (!o.no_progress && (o.progress || isatty(STDERR_FILENO))) ao->on_progress = std::ref(line);
  install_stop_handlers(g_stop);
  ao->stop = &g_stop;
  auto report = audit::run_audit(**storage, *ao);
  line.end();
  if (!report) return audit_fail(report.error());
  report->suggest = audit::suggestions(*report, o.root);
  if (jsonl) {
    jsonl->write(summary_line(*report));
    if (Status s = jsonl->close(); !s.ok()) return fail(s.error());
  }
  if (Status s = write_outputs(o, *report); !s.ok()) return fail(s.error());
  (stdout_taken(o) ? std::cerr : std::cout) << text(*report);
  return audit::exit_status(*report);
}

}  // namespace

void add_audit(CLI::App& app, int& exit) {
  struct Opts : ScanOpts {
    bool list_findings = false, list_exit_codes = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("audit", "Audit a Metaflow datastore read-only: integrity, who can read it, reachability, space");
  add_scan_options(cmd, *o);
  cmd->add_flag("--list-findings", o->list_findings, "Print the table of finding ids, severities and the requirements they check");
  cmd->add_flag("--list-exit-codes", o->list_exit_codes, "Print the table of audit exit codes");
  cmd->callback([o, &exit] {
    if (o->list_findings) return void(std::cout << audit::findings_table_markdown());
    if (o->list_exit_codes) return void(std::cout << audit::exit_codes_markdown());
    exit = run_scan(*o, audit::to_text);
  });
}

void add_doctor(CLI::App& app, int& exit) {
  auto o = std::make_shared<ScanOpts>();
  auto* cmd = app.add_subcommand("doctor", "Who can read this datastore: every reader generation x right / clean error / unhandled / wrong bytes");
  add_scan_options(cmd, *o);
  cmd->callback([o, &exit] { exit = run_scan(*o, audit::to_doctor_text); });
}

void add_audit_merge(CLI::App& app, int& exit) {
  struct Opts {
    std::vector<std::string> reports;
    std::optional<std::string> json, jsonl, markdown, html, gc_plan;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("audit-merge", "Join the JSON reports of audit --shard K/N runs into one");
  cmd->add_option("--json", o->json, "Write the merged JSON report to FILE (- = stdout)");
  cmd->add_option("--jsonl", o->jsonl, "Write the merged findings, one per line, to FILE");
  cmd->add_option("--markdown", o->markdown, "Write a Markdown report to FILE");
  cmd->add_option("--html", o->html, "Write the HTML report to FILE");
  cmd->add_option("--gc-plan", o->gc_plan, "Write the merged gc plan to FILE");
  cmd->add_option("REPORT", o->reports, "JSON reports written by audit --json")->required();
  cmd->callback([o, &exit] {
    std::vector<audit::AuditReport> shards;
    for (const auto& path : o->reports) {
      auto bytes = read_file(path, std::uint64_t{4} << 30);
      if (!bytes) return void(exit = audit_fail(Error(Errc::usage, path + ": " + bytes.error().message)));
      auto r = audit::report_from_json(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
      if (!r) return void(exit = audit_fail(Error(Errc::usage, path + ": " + r.error().message)));
      shards.push_back(std::move(*r));
    }
    auto merged = audit::merge_reports(std::move(shards));
    if (!merged) return void(exit = audit_fail(merged.error()));
    merged->suggest = audit::suggestions(*merged, merged->root);
    ScanOpts out;
    out.json = o->json, out.markdown = o->markdown, out.html = o->html, out.gc_plan = o->gc_plan;
    if (o->jsonl) {
      std::string lines;
      for (const auto& f : merged->findings) lines += typed_finding_line(f);
      lines += summary_line(*merged);
      if (Status s = write_report_file(*o->jsonl, lines); !s.ok()) return void(exit = fail(s.error()));
    }
    if (Status s = write_outputs(out, *merged); !s.ok()) return void(exit = fail(s.error()));
    (stdout_taken(out) || o->jsonl == "-" ? std::cerr : std::cout) << audit::to_text(*merged);
    exit = audit::exit_status(*merged);
  });
}

}  // namespace casblob::cli
