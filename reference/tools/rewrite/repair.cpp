#include "rewrite/repair.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "audit/scanner.hpp"
#include "rewrite/journal.hpp"
#include "rewrite/quarantine.hpp"

namespace casblob::rewrite {

std::string_view name(RepairAction a) noexcept {
  switch (a) {
    case RepairAction::rewrite: return "rewrite";
    case RepairAction::quarantine: return "quarantine";
    case RepairAction::report: return "report";
  }
  return "?";
}

namespace {

using audit::FindingId;

bool has(const std::vector<audit::Finding>& fs, FindingId id) {
  return std::any_of(fs.begin(), fs.end(), [&](const auto& f) { return f.id == id; });
}

// What repair does for a path's findings; nullopt: nothing it acts on.
std::optional<RepairAction> action_for(const std::vector<audit::Finding>& fs, const RepairOptions& o, RewritePolicy& p) {
  p = RewritePolicy{};
  p.keep_form = p.any_proof = p.salvage = true;
  p.max_size = o.max_size;
  if (has(fs, FindingId::sidecarMissingUnreadable) || has(fs, FindingId::sidecarInvalid) ||
      has(fs, FindingId::formatMismatch) || has(fs, FindingId::badChecksumContentOk))
    return RepairAction::rewrite;
  if (has(fs, FindingId::keyMismatch) || has(fs, FindingId::corrupt) || has(fs, FindingId::zeroLength) ||
      has(fs, FindingId::tempLeftover) || has(fs, FindingId::orphanSidecar))
    return o.quarantine ? RepairAction::quarantine : RepairAction::report;
  if (has(fs, FindingId::wrongBytesUnder)) {  // strict reads it right: one frame fixes the readers
    p.reencode = true;
    return RepairAction::rewrite;
  }
  if (has(fs, FindingId::sidecarMissing) && o.add_missing_sidecars) {
    p.nosidecar_is_v1 = false;
    return RepairAction::rewrite;
  }
  return std::nullopt;
}

std::string steps_text(const std::vector<Step>& steps) {
  std::string s;
  for (Step st : steps) s += (s.empty() ? "" : ", ") + std::string(name(st));
  return s;
}

nlohmann::ordered_json item_json(const RepairItem& it, bool apply) {
  nlohmann::ordered_json j;
  j["type"] = "blob";
  j["path"] = it.path;
  if (!it.key.empty()) j["key"] = it.key;
  j["apply"] = apply;
  nlohmann::ordered_json ids = nlohmann::ordered_json::array();
  for (const auto& f : it.findings) ids.push_back(audit::name(f.id));
  j["findings"] = ids;
  j["action"] = name(it.action);
  j["plan"] = it.plan;
  j["outcome"] = it.outcome;
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (Step s : it.steps) steps.push_back(name(s));
  j["steps"] = steps;
  if (!it.message.empty()) j["message"] = it.message;
  return j;
}

}  // namespace

Result<RepairReport> run_repair(Storage& storage, const RepairOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  RepairReport rep;
  rep.root = storage.url();
  rep.apply = opts.apply;
  audit::AuditOptions ao;
  ao.flows = opts.flows;
  ao.jobs = opts.jobs;
  ao.max_size = opts.max_size;
  ao.stop = opts.stop;
  auto audited = audit::run_audit(storage, ao);
  if (!audited) return audited.error();
  rep.blobs = audited->counts.blobs;
  if (!audited->complete) rep.complete = false;

  std::map<std::string, std::vector<audit::Finding>> by_path;
  for (const auto& f : audited->findings) by_path[f.path].push_back(f);

  std::unique_ptr<Journal> journal;
  if (!opts.journal.empty()) {
    auto j = Journal::open(opts.journal, false);
    if (!j) return j.error();
    journal = std::move(*j);
    nlohmann::ordered_json b;
    b["type"] = "begin";
    b["command"] = "repair";
    b["root"] = rep.root;
    b["apply"] = opts.apply;
    b["quarantine"] = opts.quarantine ? nlohmann::ordered_json(*opts.quarantine) : nlohmann::ordered_json(nullptr);
    CASBLOB_TRY(journal->append(b.dump()));
  }

  BlobRewriter rewriter(storage, opts.max_size);
  for (auto& [path, fs] : by_path) {
    if (opts.stop && opts.stop->load()) {
      rep.interrupted = true;
      rep.complete = false;
      break;
    }
    RewritePolicy policy;
    auto action = action_for(fs, opts, policy);
    if (!action) {
      for (const auto& f : fs) ++rep.not_repairs[std::string(audit::name(f.id))];
      continue;
    }
    RepairItem it;
    it.path = path;
    it.flow = fs.front().flow;
    it.key = fs.front().key;
    it.findings = fs;
    it.action = *action;
    if (it.action == RepairAction::rewrite) {
      audit::BlobRef ref{it.flow, it.key, path, {}};
      auto st = storage.stat(path);
      if (st) ref.info = *st;
      BlobRewrite r = rewriter.rewrite(ref, policy, opts.apply);
      it.steps = r.steps;
      it.message = r.message;
      if (r.outcome == BlobOutcome::rewritten) {
        it.plan = "rewrite as " + std::string(r.from ? name(*r.from) : "?") + ", proven by the key: " + steps_text(r.steps);
        it.outcome = opts.apply ? "repaired" : "planned";
      } else if (r.outcome == BlobOutcome::in_target) {
        it.plan = "nothing: it reads right now";
        it.outcome = "repaired";
      } else if (r.outcome == BlobOutcome::damaged) {
        // Nothing proves it: what is done with blobs nothing proves.
        it.action = opts.quarantine ? RepairAction::quarantine : RepairAction::report;
      } else {
        it.plan = "rewrite";
        it.outcome = "failed";
        rep.complete = false;
      }
    }
    const bool payload = !it.key.empty() && !has(fs, FindingId::orphanSidecar);
    if (it.action == RepairAction::quarantine) {
      it.plan = "move to the quarantine " + *opts.quarantine + (payload ? " with its sidecar and a record" : " with a record");
      if (opts.apply) {
        auto moved = quarantine(storage, *opts.quarantine, {path, fs, payload});
        if (moved) {
          it.outcome = "quarantined";
        } else {
          it.outcome = moved.error().code == Errc::usage ? "left" : "failed";
          it.message = moved.error().message;
          if (it.outcome == "failed") rep.complete = false;
        }
      } else {
        it.outcome = "planned";
      }
    } else if (it.action == RepairAction::report) {
      it.plan = payload ? "report: nothing proves its content (--quarantine DIR moves it out)" : "report (--quarantine DIR moves it out)";
      it.outcome = "left";
    }
    ++rep.outcomes[it.outcome];
    if (journal) (void)journal->append(item_json(it, opts.apply).dump());
    rep.items.push_back(std::move(it));
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (journal) {
    nlohmann::ordered_json e;
    e["type"] = "end";
    e["complete"] = rep.complete;
    e["outcomes"] = rep.outcomes;
    (void)journal->append(e.dump());
    CASBLOB_TRY(journal->close());
  }
  return rep;
}

std::string repair_text(const RepairReport& r) {
  std::ostringstream s;
  s << "casblob repair " << r.root << (r.apply ? "" : "  (dry run: nothing written; --apply acts)") << "\n";
  s << "  blobs     " << r.blobs << " audited; " << r.items.size() << " objects to act on";
  for (const auto& [k, v] : r.outcomes) s << ", " << v << " " << k;
  s << "\n";
  for (const auto& it : r.items) {
    std::string ids;
    for (const auto& f : it.findings) ids += (ids.empty() ? "" : ",") + std::string(audit::name(f.id));
    s << "  " << it.outcome << "  " << it.path << "  [" << ids << "]  " << it.plan
      << (it.message.empty() ? "" : " (" + it.message + ")") << "\n";
  }
  if (!r.not_repairs.empty()) {
    s << "  not repair's:";
    for (const auto& [k, v] : r.not_repairs) s << " " << k << " " << v;
    s << " (casblob audit explains them)\n";
  }
  if (r.apply) s << "  next      casblob audit " << r.root << "   # the findings repaired are gone\n";
  return s.str();
}

std::string repair_json(const RepairReport& r) {
  nlohmann::ordered_json j;
  j["root"] = r.root;
  j["apply"] = r.apply;
  j["complete"] = r.complete;
  j["interrupted"] = r.interrupted;
  j["blobs"] = r.blobs;
  j["outcomes"] = r.outcomes;
  j["not_repairs"] = r.not_repairs;
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& it : r.items) items.push_back(item_json(it, r.apply));
  j["items"] = items;
  j["seconds"] = r.seconds;
  return j.dump(1) + "\n";
}

}  // namespace casblob::rewrite
