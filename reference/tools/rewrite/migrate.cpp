#include "rewrite/migrate.hpp"

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "rewrite/journal.hpp"
#include "rewrite/walk.hpp"

namespace casblob::rewrite {
namespace {

// Whether a reader of profile `p` fails on a blob in form `f` (its dispatch refuses the
// sidecar, or decodes another container than the payload is).
bool cannot_read(Profile p, Form f) {
  auto e = select_encoding(canonical_sidecar(f), p);
  if (!e) return true;
  if (f == Form::raw || f == Form::v2) return form_of(*e) != f;
  return form_of(*e) != Form::v1 && form_of(*e) != Form::nosidecar;
}

nlohmann::ordered_json blob_line(const audit::BlobRef& b, const BlobRewrite& r, const MigrateOptions& o) {
  nlohmann::ordered_json j;
  j["type"] = "blob";
  j["path"] = b.path;
  j["key"] = b.key;
  j["apply"] = o.apply;
  j["outcome"] = name(r.outcome);
  if (r.from) j["from"] = name(*r.from);
  j["to"] = describe(o.policy.target);
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (Step s : r.steps) steps.push_back(name(s));
  j["steps"] = steps;
  if (r.resumed) j["resumed"] = true;
  j["stored_before"] = r.stored_before;
  j["stored_after"] = r.stored_after;
  if (!r.message.empty()) j["message"] = r.message;
  if (r.outcome == BlobOutcome::damaged) j["findings"] = r.findings;
  return j;
}

}  // namespace

Result<MigrateReport> run_migrate(Storage& storage, const MigrateOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  if (opts.policy.target.form == Form::nosidecar) return Error(Errc::usage, "the target must be v1, v2 or raw");
  if (opts.policy.target.form == Form::v2 && !lz4_available())
    return Error(Errc::usage, "this build of casblob has no lz4 codec: it cannot write v2");
  MigrateReport rep;
  rep.root = storage.url();
  rep.target = describe(opts.policy.target);
  rep.apply = opts.apply;

  JournalState done;
  if (opts.resume) {
    if (opts.journal.empty()) return Error(Errc::usage, "--resume needs the journal of the run to continue (--journal)");
    auto st = read_journal(opts.journal);
    // A run killed before it created its journal did nothing: resuming it is starting it.
    if (!st && st.error().code == Errc::not_found) st = JournalState{};
    if (!st) return Error(Errc::usage, "--resume: " + st.error().message);
    // A journal without its begin line is one a kill cut before it wrote anything: nothing done.
    if (!st->command.empty() && (st->command != opts.command || st->target != rep.target || st->root != rep.root))
      return Error(Errc::usage, "--resume: " + opts.journal + " is the journal of `" + st->command + " --to " + st->target +
                                    "` on " + st->root + ", not of this run");
    done = std::move(*st);
  }
  auto units = list_units(storage, opts.flows);
  if (!units) return units.error();

  std::unique_ptr<Journal> journal;
  if (!opts.journal.empty()) {
    auto j = Journal::open(opts.journal, opts.resume);
    if (!j) return j.error();
    journal = std::move(*j);
    nlohmann::ordered_json b;
    b["type"] = "begin";
    b["command"] = opts.command;
    b["root"] = rep.root;
    b["target"] = rep.target;
    b["apply"] = opts.apply;
    b["include_raw"] = opts.policy.include_raw;
    b["resume"] = opts.resume;
    b["time"] = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    CASBLOB_TRY(journal->append(b.dump()));
  }

  std::mutex mu;
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    BlobRewriter rewriter(storage, opts.policy.max_size);
    for (;;) {
      if (opts.stop && opts.stop->load()) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= units->size()) return;
      auto blobs = list_blobs(storage, (*units)[i]);
      if (!blobs) {
        std::lock_guard<std::mutex> lock(mu);
        rep.complete = false;
        rep.left.push_back({(*units)[i].dir(), "failed", blobs.error().message, {}});
        continue;
      }
      for (const auto& b : *blobs) {
        if (opts.stop && opts.stop->load()) return;
        if (done.done.count(b.path)) {
          std::lock_guard<std::mutex> lock(mu);
          ++rep.resumed_from_journal;
          ++rep.in_target_after;
          continue;
        }
        BlobRewrite r = rewriter.rewrite(b, opts.policy, opts.apply);
        std::lock_guard<std::mutex> lock(mu);
        ++rep.outcomes[std::string(name(r.outcome))];
        ++rep.blobs_examined;
        rep.bytes_examined += r.stored_before;
        if (r.resumed) ++rep.finished_interrupted;
        if (r.outcome == BlobOutcome::rewritten) {
          rep.bytes_before += r.stored_before;
          rep.bytes_after += r.stored_after;
          rep.content_bytes += r.content.value_or(0);
        }
        if (r.outcome == BlobOutcome::rewritten || r.outcome == BlobOutcome::in_target) {
          // A resumed raw blob goes back to raw when raw was not asked for: not the target.
          if (!(r.resumed && r.from == Form::raw && opts.policy.target.form != Form::raw && !opts.policy.include_raw))
            ++rep.in_target_after;
        }
        if (r.outcome == BlobOutcome::damaged || r.outcome == BlobOutcome::vanished || r.outcome == BlobOutcome::failed) {
          rep.left.push_back({b.path, std::string(name(r.outcome)), r.message, r.findings});
          if (r.outcome != BlobOutcome::damaged) rep.complete = false;
        }
        if (journal) (void)journal->append(blob_line(b, r, opts).dump());
        if (opts.on_blob) opts.on_blob(b, r);
      }
    }
  };
  const unsigned jobs = std::max(1u, opts.jobs);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < jobs; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  rep.interrupted = opts.stop && opts.stop->load();
  if (rep.interrupted) rep.complete = false;
  std::sort(rep.left.begin(), rep.left.end(), [](const auto& a, const auto& b) { return a.path < b.path; });

  for (const auto& info : profile_table())
    if (cannot_read(info.profile, opts.policy.target.form))
      rep.cannot_read.push_back({std::string(info.name), std::string(info.models), rep.in_target_after});
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (journal) {
    nlohmann::ordered_json e;
    e["type"] = "end";
    e["complete"] = rep.complete;
    e["interrupted"] = rep.interrupted;
    e["outcomes"] = rep.outcomes;
    (void)journal->append(e.dump());
    CASBLOB_TRY(journal->close());
  }
  return rep;
}

std::string MigrateReport::statement() const {
  std::ostringstream s;
  s << (apply ? "after this, " : "after --apply, ") << in_target_after << " blobs are " << target;
  if (cannot_read.empty()) {
    s << ": every reader profile reads them";
    return s.str();
  }
  s << ": ";
  for (std::size_t i = 0; i < cannot_read.size(); ++i)
    s << (i ? "; " : "") << cannot_read[i].models << " [" << cannot_read[i].profile << "]";
  s << " cannot read " << in_target_after << " blobs";
  return s.str();
}

std::string report_text(const MigrateReport& r) {
  std::ostringstream s;
  s << "casblob migrate " << r.root << " --to " << r.target << (r.apply ? "" : "  (dry run: nothing written; --apply acts)") << "\n";
  s << "  blobs     " << r.blobs_examined << " examined";
  for (const auto& [k, v] : r.outcomes) s << ", " << v << " " << k;
  if (r.resumed_from_journal) s << ", " << r.resumed_from_journal << " done before (journal)";
  if (r.finished_interrupted)
    s << "; " << r.finished_interrupted << " had a fence or mismatched sidecar (what a crash leaves) and were finished";
  s << "\n";
  char rate[160];
  const double mb = static_cast<double>(r.bytes_examined) / 1e6;
  std::snprintf(rate, sizeof rate, "  time      %.2f s, %.1f MB/s stored bytes examined, %.0f blobs/s\n", r.seconds,
                r.seconds > 0 ? mb / r.seconds : 0.0, r.seconds > 0 ? static_cast<double>(r.blobs_examined) / r.seconds : 0.0);
  s << rate;
  if (r.apply && r.outcomes.count("rewritten"))
    s << "  bytes     " << r.bytes_before << " stored before, " << r.bytes_after << " after, of " << r.content_bytes
      << " bytes of content rewritten\n";
  s << "  readers   " << r.statement() << "\n";
  std::size_t shown = 0;
  for (const auto& l : r.left) {
    if (shown++ == 20) {
      s << "  ... " << (r.left.size() - 20) << " more in the journal\n";
      break;
    }
    s << "  " << l.outcome << "  " << l.path << (l.message.empty() ? "" : ": " + l.message) << "\n";
  }
  if (r.interrupted) s << "  interrupted: --resume with the same --journal continues\n";
  return s.str();
}

std::string report_json(const MigrateReport& r) {
  nlohmann::ordered_json j;
  j["root"] = r.root;
  j["target"] = r.target;
  j["apply"] = r.apply;
  j["complete"] = r.complete;
  j["interrupted"] = r.interrupted;
  j["blobs_examined"] = r.blobs_examined;
  j["outcomes"] = r.outcomes;
  j["resumed_from_journal"] = r.resumed_from_journal;
  j["finished_interrupted"] = r.finished_interrupted;
  j["bytes_examined"] = r.bytes_examined;
  j["bytes_before"] = r.bytes_before;
  j["bytes_after"] = r.bytes_after;
  j["content_bytes"] = r.content_bytes;
  j["seconds"] = r.seconds;
  j["in_target_after"] = r.in_target_after;
  nlohmann::ordered_json loss = nlohmann::ordered_json::array();
  for (const auto& l : r.cannot_read) loss.push_back({{"profile", l.profile}, {"models", l.models}, {"blobs", l.blobs}});
  j["cannot_read"] = loss;
  j["statement"] = r.statement();
  nlohmann::ordered_json left = nlohmann::ordered_json::array();
  for (const auto& l : r.left)
    left.push_back({{"path", l.path}, {"outcome", l.outcome}, {"message", l.message}, {"findings", l.findings}});
  j["left"] = left;
  return j.dump(1) + "\n";
}

}  // namespace casblob::rewrite
