// casblob repair: fixes what casblob audit finds, each rewrite proven by the key, the rest moved
// to a quarantine or reported, nothing deleted (issue #16, reference/tools/rewrite/README.md).
// The tool library does the work; this file maps options, the report, signals and exit codes.
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"
#include "rewrite/exit_codes.hpp"
#include "rewrite/repair.hpp"
#include "rewrite_cli.hpp"
#include "signals.hpp"

namespace casblob::cli {
namespace {

std::atomic<bool> g_stop{false};

}  // namespace

void add_repair(CLI::App& app, int& exit) {
  struct Opts {
    std::string root, journal = "casblob-repair.jsonl", max_size = std::to_string(kDefaultMaxSize);
    std::optional<std::string> quarantine, json;
    std::vector<std::string> flows;
    bool apply = false, add_missing_sidecars = false, quiet = false;
    StorageOptions storage;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("repair", "Repair what casblob audit finds, each rewrite proven by the key; nothing deleted (dry run unless --apply)");
  cmd->add_flag("--apply", o->apply, "Act on the plan (default: dry run, nothing written into ROOT)");
  cmd->add_option("--quarantine", o->quarantine,
                  "Move blobs nothing proves, temporary files and orphan sidecars to this folder (same filesystem, outside every <Flow>), each with a JSON record");
  cmd->add_flag("--add-missing-sidecars", o->add_missing_sidecars, "Also give gzip payloads without sidecar (sidecarMissing) the canonical v1 sidecar");
  cmd->add_option("--journal", o->journal, "The JSON-lines journal, the plan in a dry run (default ./casblob-repair.jsonl; must not exist)");
  cmd->add_option("--flow", o->flows, "Only this flow (repeatable)")->allow_extra_args(false);
  cmd->add_option("--max-size", o->max_size, "strict's limit on decoded size in bytes (default 4 GiB)");
  cmd->add_option("--json", o->json, "Write the report as JSON to FILE (- = stdout)");
  cmd->add_flag("--quiet", o->quiet, "No report on stdout");
  add_storage_options(cmd, o->storage, true);
  cmd->add_option("ROOT", o->root, "Datastore root (Metaflow's .metaflow folder, or s3://bucket/prefix)");
  cmd->callback([o, &exit] {
    if (o->root.empty()) return void(exit = rewrite_fail(Error(Errc::usage, "ROOT is required")));
    auto max = parse_size(o->max_size, "--max-size");
    if (!max) return void(exit = rewrite_fail(max.error()));
    rewrite::RepairOptions ro;
    ro.apply = o->apply;
    ro.add_missing_sidecars = o->add_missing_sidecars;
    ro.jobs = o->storage.jobs;
    ro.flows = o->flows;
    ro.journal = o->journal;
    ro.max_size = *max;
    if (o->quarantine) ro.quarantine = std::filesystem::absolute(*o->quarantine).lexically_normal().string();
    auto storage = open_rewrite_root(o->root, o->storage, o->apply);
    if (!storage) return void(exit = rewrite_fail(storage.error()));
    install_stop_handlers(g_stop);
    ro.stop = &g_stop;
    auto report = rewrite::run_repair(**storage, ro);
    if (!report) return void(exit = rewrite_fail(report.error()));
    exit = finish_rewrite(o->json, rewrite::repair_json(*report), rewrite::repair_text(*report), o->quiet,
                          report->interrupted, report->complete, report->outcomes.count("left") > 0);
  });
}

}  // namespace casblob::cli
