// casblob migrate: every blob of a datastore into one encoding, proven by its key before and
// after (issue #16, reference/tools/rewrite/README.md). The tool library does the work; this
// file maps options, the report, signals and exit codes.
#include <iostream>

#include "commands.hpp"
#include "options.hpp"
#include "output.hpp"
#include "rewrite/exit_codes.hpp"
#include "rewrite/migrate.hpp"
#include "rewrite/transitions.hpp"
#include "rewrite_cli.hpp"
#include "signals.hpp"

namespace casblob::cli {
namespace {

std::atomic<bool> g_stop{false};

Result<rewrite::Target> parse_target(const std::string& to, bool checksum) {
  rewrite::Target t;
  if (to == "1") t.form = rewrite::Form::v1;
  else if (to == "2") t.form = rewrite::Form::v2;
  else if (to == "raw") t.form = rewrite::Form::raw;
  else return Error(Errc::usage, "--to takes 1, 2 or raw");
  if (checksum && t.form != rewrite::Form::v2) return Error(Errc::usage, "--content-checksum goes with --to 2");
  t.content_checksum = checksum;
  return t;
}

}  // namespace

void add_migrate(CLI::App& app, int& exit) {
  struct Opts {
    std::string root, to, journal = "casblob-migrate.jsonl", max_size = std::to_string(kDefaultMaxSize);
    std::optional<std::string> json;
    std::vector<std::string> flows;
    bool apply = false, resume = false, content_checksum = false, include_raw = false, quiet = false;
    bool list_transitions = false, list_exit_codes = false, as_json = false;
    StorageOptions storage;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("migrate", "Rewrite every blob of a datastore into one encoding, each proven by its key (dry run unless --apply)");
  cmd->add_option("--to", o->to, "The target encoding: 1 (gzip), 2 (lz4 frame) or raw");
  cmd->add_flag("--content-checksum", o->content_checksum, "--to 2: frames with a content checksum (v2 blobs without one are rewritten)");
  cmd->add_flag("--include-raw", o->include_raw, "Rewrite raw blobs too (code packages, transfer-path blobs): raw -> encoded");
  cmd->add_flag("--apply", o->apply, "Rewrite (default: dry run, nothing written into ROOT)");
  cmd->add_option("--journal", o->journal, "The JSON-lines journal (default ./casblob-migrate.jsonl; must not exist without --resume)");
  cmd->add_flag("--resume", o->resume, "Continue the run of --journal: skip the blobs it records as done");
  cmd->add_option("--flow", o->flows, "Only this flow (repeatable)")->allow_extra_args(false);
  cmd->add_option("--max-size", o->max_size, "strict's limit on decoded size in bytes (default 4 GiB)");
  cmd->add_option("--json", o->json, "Write the summary as JSON to FILE (- = stdout)");
  cmd->add_flag("--quiet", o->quiet, "No summary on stdout");
  cmd->add_flag("--list-transitions", o->list_transitions, "Print the transition table (write order, every crash state under every profile), then exit");
  cmd->add_flag("--list-exit-codes", o->list_exit_codes, "Print the table of migrate and repair exit codes, then exit");
  cmd->add_flag("--as-json", o->as_json, "With --list-transitions: JSON");
  add_storage_options(cmd, o->storage, true);
  cmd->add_option("ROOT", o->root, "Datastore root (Metaflow's .metaflow folder, or s3://bucket/prefix)");
  cmd->callback([o, &exit] {
    if (o->list_transitions) {
      std::vector<rewrite::TransitionProof> proofs;
      const Bytes sample = rewrite::table_sample_content();
      for (const auto& t : rewrite::all_transitions()) proofs.push_back(rewrite::prove(t, sample));
      std::cout << (o->as_json ? rewrite::transitions_json(proofs) : rewrite::transitions_markdown(proofs));
      return;
    }
    if (o->list_exit_codes) return void(std::cout << rewrite_exit_codes_markdown());
    if (o->root.empty() || o->to.empty()) return void(exit = rewrite_fail(Error(Errc::usage, "ROOT and --to are required")));
    auto target = parse_target(o->to, o->content_checksum);
    if (!target) return void(exit = rewrite_fail(target.error()));
    auto max = parse_size(o->max_size, "--max-size");
    if (!max) return void(exit = rewrite_fail(max.error()));
    rewrite::MigrateOptions mo;
    mo.policy.target = *target;
    mo.policy.include_raw = o->include_raw;
    mo.policy.max_size = *max;
    mo.apply = o->apply;
    mo.jobs = o->storage.jobs ? o->storage.jobs : 1;
    mo.flows = o->flows;
    mo.journal = o->journal;
    mo.resume = o->resume;
    auto storage = open_rewrite_root(o->root, o->storage, o->apply);
    if (!storage) return void(exit = rewrite_fail(storage.error()));
    install_stop_handlers(g_stop);
    mo.stop = &g_stop;
    auto report = rewrite::run_migrate(**storage, mo);
    if (!report) return void(exit = rewrite_fail(report.error()));
    exit = finish_rewrite(o->json, rewrite::report_json(*report), rewrite::report_text(*report), o->quiet,
                          report->interrupted, report->complete, !report->left.empty());
  });
}

}  // namespace casblob::cli
