#include "audit/scanner.hpp"

#include "audit/flows.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <thread>
#include <cstdio>
#include <cstdlib>

#include "audit/blob_check.hpp"
#include "audit/key20.hpp"
#include "audit/layout.hpp"
#include "audit/readers_table.hpp"
#include "audit/task_index.hpp"
#include "casblob/codecs.hpp"

namespace casblob::audit {
namespace {

std::string_view name_of(std::string_view path) {
  auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string basename(std::string_view path) { return std::string(name_of(path)); }

// A present blob, for reachability and space per run.
struct KeyRecord {
  Key20 key;
  std::uint64_t stored = 0, content = 0;
  bool content_known = false, raw = false;
  bool gc_ok = false;  // a gc candidate when unreferenced: readable, not raw, nothing wrong with it
  std::int64_t mtime_ns = 0;
};

// One reference of a task index to a key of this shard.
struct RefRecord {
  Key20 key;
  std::uint32_t run = 0;    // index in FlowState::runs
  std::uint32_t index = 0;  // index in FlowState::index_paths
};

struct FlowState {
  std::string name;
  std::vector<std::string> runs;
  // Each unit's records, moved in as the unit is merged and joined once when reachability is
  // resolved: appending them to one growing vector copied every record about twice and
  // faulted in the pages of every step of its growth (950 of an audit's 2,500 page faults
  // on 20,000 blobs).
  std::vector<std::vector<KeyRecord>> key_chunks;
  std::vector<std::vector<RefRecord>> ref_chunks;
  std::vector<std::string> index_paths;
  std::size_t units = 0, units_done = 0;
  bool index_incomplete = false;  // a task index or a run folder could not be read
};

// Attempts probed per task folder before giving up when none was found (Metaflow's
// MAX_ATTEMPTS default).
constexpr int kMaxProbedAttempts = 6;

struct Unit {
  enum class Kind { blobs, runs } kind = Kind::blobs;
  std::size_t flow = 0;
  std::string name;  // <kk> or run id
  std::uint32_t run = 0;
};

// What a worker accumulates for one unit, merged into the report when the unit is done.
struct UnitResult {
  Counts counts;
  std::map<std::string, SpaceRow> by_encoding;
  SpaceRow flow_space;
  std::vector<ReaderRow> readers = make_reader_rows();
  std::vector<Finding> findings;
  std::vector<KeyRecord> keys;
  std::vector<RefRecord> refs;
  std::vector<std::string> index_paths;
  std::uint64_t task_indexes = 0;
  bool incomplete = false, index_incomplete = false;
};

class Audit {
 public:
  Audit(Storage& storage, const AuditOptions& opts) : storage_(storage), opts_(opts) {}
  Result<AuditReport> run();

 private:
  Status discover();
  void work();
  void blob_unit(const Unit& u, BlobChecker& checker, UnitResult& out);
  void run_unit(const Unit& u, UnitResult& out);
  void read_task_index(const Unit& u, const ObjectInfo& obj, Source& src, UnitResult& out);
  void merge(const Unit& u, UnitResult&& res);
  void resolve_reachability(FlowState& flow);
  // Skip list and severity overrides; false when the finding is dropped.
  bool admit(Finding& f, Counts& counts) const;
  Finding file_finding(FindingId id, std::string_view flow, const ObjectInfo& obj, std::string message) const;
  bool stopped() const { return opts_.stop && opts_.stop->load(std::memory_order_relaxed); }

  Storage& storage_;
  const AuditOptions& opts_;
  AuditReport report_;
  std::vector<FlowState> flows_;
  std::vector<Unit> units_;
  std::vector<Finding> early_;  // findings of the discovery (root and data folders)
  std::atomic<std::size_t> next_{0};
  std::atomic<std::uint64_t> objects_{0}, bytes_{0}, units_done_{0};
  std::mutex mu_;
  std::int64_t now_ns_ = 0;
};

Finding Audit::file_finding(FindingId id, std::string_view flow, const ObjectInfo& obj, std::string message) const {
  Finding f;
  f.id = id;
  f.severity = info(id).severity;
  f.flow = std::string(flow);
  f.path = obj.path;
  f.message = std::move(message);
  // Entries come from list_types: their size and mtime are looked up for the few that become
  // findings (an entry gone meanwhile keeps 0).
  ObjectInfo st = obj;
  if (!obj.stat_known && !obj.path.empty())
    if (auto looked = storage_.stat(obj.path)) st = std::move(*looked);
  f.size = obj.type == ObjectInfo::Type::file ? st.size : 0;
  f.mtime_ns = st.mtime_ns;
  return f;
}

bool Audit::admit(Finding& f, Counts& counts) const {
  if ((!f.key.empty() && opts_.skip_keys.count(f.key)) || opts_.ignore.count(f.id)) {
    ++counts.skipped;
    return false;
  }
  if (auto it = opts_.severity.find(f.id); it != opts_.severity.end()) f.severity = it->second;
  return true;
}

Status Audit::discover() {
  std::vector<ObjectInfo> root;
  Status listed = storage_.list_types("", [&](const ObjectInfo& o) {
    root.push_back(o);
    return Status{};
  });
  if (!listed.ok()) {
    if (listed.code() == Errc::not_found) return Error(Errc::not_found, "not a Metaflow datastore: " + listed.error().message);
    return listed;
  }
  std::sort(root.begin(), root.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  const bool first_shard = opts_.shard.index == 1;  // findings outside any <kk>: reported once
  std::vector<std::string> names;
  for (const auto& o : root) {
    if (!check_flow_name(o.path).ok()) continue;
    if (o.type == ObjectInfo::Type::other) {
      if (first_shard) early_.push_back(file_finding(FindingId::specialFile, o.path, o, "a flow folder that is a symbolic link or special file: refused"));
      continue;
    }
    // Named flows are looked up themselves (below): the root is still listed for its special
    // files, but no other flow's data folder is stat'ed (a request each on S3), as in the
    // rewrite walk.
    if (o.type != ObjectInfo::Type::directory || !opts_.flows.empty()) continue;
    auto data = storage_.stat(cas_prefix(o.path));
    if (data && data->type == ObjectInfo::Type::directory) names.push_back(o.path);
  }
  if (!opts_.flows.empty()) {
    for (const auto& f : opts_.flows) CASBLOB_TRY(find_named_flow(storage_, f));
    names = opts_.flows;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
  }
  if (names.empty()) {
    std::string hint;
    for (const auto& o : root)
      if (o.path == ".metaflow" && o.type == ObjectInfo::Type::directory) hint = " (did you mean " + storage_.url() + "/.metaflow?)";
    if (root.size() > 0 && std::all_of(root.begin(), root.end(), [](const auto& o) { return is_shard_name(o.path); }))
      hint = " (this looks like a CAS prefix <Flow>/data: give the datastore root, two levels up)";
    return Error(Errc::not_found, "not a Metaflow datastore: no <Flow>/data folder in " + storage_.url() + hint);
  }

  for (const auto& flow : names) {
    FlowState fs;
    fs.name = flow;
    const std::size_t fi = flows_.size();
    std::vector<ObjectInfo> shards;
    Status s = storage_.list_types(cas_prefix(flow), [&](const ObjectInfo& o) {
      shards.push_back(o);
      return Status{};
    });
    if (!s.ok()) {
      if (first_shard) early_.push_back(file_finding(FindingId::unreadable, flow, ObjectInfo{cas_prefix(flow)}, s.error().message));
      report_.complete = false;
    }
    std::sort(shards.begin(), shards.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    for (const auto& o : shards) {
      const std::string kk = basename(o.path);
      if (o.type == ObjectInfo::Type::directory && is_shard_name(kk)) {
        if (opts_.shard.contains(shard_number(kk))) units_.push_back({Unit::Kind::blobs, fi, kk, 0});
      } else if (first_shard) {
        early_.push_back(file_finding(o.type == ObjectInfo::Type::other ? FindingId::specialFile : FindingId::strayFile, flow, o,
                                      o.type == ObjectInfo::Type::other ? "not a regular file or folder: refused"
                                                                        : "not a <kk> folder of the CAS prefix"));
      }
    }
    std::vector<ObjectInfo> runs;
    s = storage_.list_types(flow, [&](const ObjectInfo& o) {
      if (o.type == ObjectInfo::Type::directory) runs.push_back(o);
      return Status{};
    });
    if (!s.ok()) fs.index_incomplete = true;
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    for (const auto& o : runs) {
      const std::string run = basename(o.path);
      if (run == "data" || is_metadata_dir(run)) continue;
      units_.push_back({Unit::Kind::runs, fi, run, static_cast<std::uint32_t>(fs.runs.size())});
      fs.runs.push_back(run);
    }
    flows_.push_back(std::move(fs));
    report_.flows.push_back(flow);
  }
  // Task indexes first: they are few and small, and a worker that takes the last big <kk>
  // unit should not leave the other waiting on index units.
  std::stable_sort(units_.begin(), units_.end(), [](const Unit& a, const Unit& b) { return a.kind > b.kind; });
  for (const auto& u : units_) ++flows_[u.flow].units;
  return {};
}

void Audit::blob_unit(const Unit& u, BlobChecker& checker, UnitResult& out) {
  const FlowState& flow = flows_[u.flow];
  const std::string dir = cas_prefix(flow.name) + "/" + u.name;
  // The entries named by a key (all of them, in a healthy store) are kept as their 20 bytes:
  // listing, sorting and pairing payloads with sidecars allocate nothing per entry. The
  // others become findings.
  struct Keyed {
    Key20 key;
    bool sidecar = false;
    bool operator<(const Keyed& o) const {
      const int c = key_cmp(key, o.key);
      return c != 0 ? c < 0 : sidecar < o.sidecar;
    }
  };
  std::vector<Keyed> keyed;
  std::vector<ObjectInfo> others;
  // Types only: each blob's size and mtime come from the fstat of its opening (BlobChecker).
  Status s = storage_.list_types(dir, [&](const ObjectInfo& o) {
    std::string_view key;
    if (o.type == ObjectInfo::Type::file) {
      const EntryKind kind = classify_entry(name_of(o.path), u.name, &key);
      if (kind == EntryKind::blob || kind == EntryKind::sidecar) {
        keyed.push_back({key20(key), kind == EntryKind::sidecar});
        return Status{};
      }
    }
    others.push_back(o);
    return Status{};
  });
  if (!s.ok()) {
    if (s.code() == Errc::not_found) return;  // removed since the data folder was listed
    out.findings.push_back(file_finding(FindingId::unreadable, flow.name, ObjectInfo{dir}, s.error().message));
    out.incomplete = true;
    return;
  }
  out.counts.entries += keyed.size() + others.size();
  std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  for (const auto& o : others) {
    const std::string_view name = name_of(o.path);
    if (o.type == ObjectInfo::Type::other) {
      out.findings.push_back(file_finding(FindingId::specialFile, flow.name, o, "a symbolic link, FIFO, device or socket in a CAS folder: refused, not read"));
    } else if (o.type == ObjectInfo::Type::directory) {
      out.findings.push_back(file_finding(FindingId::strayFile, flow.name, o, "a folder inside a <kk> folder"));
    } else if (classify_entry(name, u.name, nullptr) == EntryKind::temp) {
      out.findings.push_back(file_finding(FindingId::tempLeftover, flow.name, o,
                                          name.find(kTempMarker) != std::string_view::npos
                                              ? "a casblob temporary file (an interrupted put or repair)"
                                              : "a Metaflow LocalStorage temporary file (an interrupted save_bytes)"));
    } else {
      out.findings.push_back(file_finding(FindingId::strayFile, flow.name, o, describe_stray(name, u.name)));
    }
  }
  // A payload sorts just before its sidecar.
  std::sort(keyed.begin(), keyed.end());
  auto has_payload = [&](std::size_t i) { return i > 0 && !keyed[i - 1].sidecar && keyed[i - 1].key == keyed[i].key; };
  for (std::size_t i = 0; i < keyed.size(); ++i) {
    if (keyed[i].sidecar && !has_payload(i)) {
      ObjectInfo o{dir + "/" + hex(keyed[i].key) + "_meta"};
      o.stat_known = false;
      Finding f = file_finding(FindingId::orphanSidecar, flow.name, o, "a sidecar without its payload");
      f.key = hex(keyed[i].key);
      out.findings.push_back(std::move(f));
    }
  }
  // One reference and one result for the unit: their strings keep their buffers from blob to blob.
  BlobRef ref;
  ref.flow = flow.name;
  ref.info.stat_known = false;
  BlobResult res;
  for (const auto& entry : keyed) {
    if (entry.sidecar) continue;
    if (stopped()) {
      out.incomplete = true;
      return;
    }
    ref.key.resize(2 * entry.key.size());
    to_hex(ByteView(entry.key.data(), entry.key.size()), ref.key.data());
    ref.path.assign(dir).append("/").append(ref.key);
    const bool decode = opts_.level == Level::data && opts_.sample.contains(ref.key);
    checker.check(ref, decode, res);
    ++out.counts.blobs;
    out.counts.sidecars += res.has_sidecar;
    out.counts.decoded += res.decoded && !res.unreadable;
    out.counts.bytes_read += res.bytes_read;
    SpaceRow one;
    one.blobs = 1;
    one.stored = res.stored;
    if (res.content) one.content = *res.content, one.content_blobs = 1;
    out.flow_space.add(one);
    out.by_encoding[res.unreadable ? "unreadable" : res.encoding].add(one);
    if (!res.outcomes.empty() && !res.unreadable) count_blob(out.readers, res.outcomes);
    KeyRecord rec;
    rec.key = entry.key;
    rec.stored = res.stored;
    rec.content = res.content.value_or(0);
    rec.content_known = res.content.has_value();
    rec.raw = res.raw;
    // A damaged blob is for repair or quarantine, never for gc; raw blobs (code packages) are
    // referred to from run metadata, which the audit does not read.
    rec.gc_ok = !res.raw && !res.unreadable &&
                std::none_of(res.findings.begin(), res.findings.end(), [](const Finding& f) { return info(f.id).severity != Severity::info; });
    rec.mtime_ns = res.mtime_ns;
    out.keys.push_back(rec);
    for (auto& f : res.findings) out.findings.push_back(std::move(f));
    objects_.fetch_add(1, std::memory_order_relaxed);
    bytes_.fetch_add(res.stored, std::memory_order_relaxed);
  }
}

void Audit::read_task_index(const Unit& u, const ObjectInfo& obj, Source& src, UnitResult& out) {
  const FlowState& flow = flows_[u.flow];
  auto fail = [&](FindingId id, const std::string& msg) {
    out.findings.push_back(file_finding(id, flow.name, obj, msg));
    out.index_incomplete = true;
  };
  if (obj.size > kMaxTaskIndexBytes) return fail(FindingId::taskIndexInvalid, "larger than " + std::to_string(kMaxTaskIndexBytes) + " bytes");
  std::string text;
  text.resize(static_cast<std::size_t>(obj.size) + 1);
  std::size_t n = 0;
  for (;;) {
    if (n == text.size()) text.resize(std::min<std::size_t>(text.size() * 2, kMaxTaskIndexBytes + 1));
    auto r = src.read(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(text.data()) + n, text.size() - n));
    if (!r) return fail(FindingId::unreadable, r.error().message);
    if (*r == 0) break;
    n += *r;
    if (n > kMaxTaskIndexBytes) return fail(FindingId::taskIndexInvalid, "larger than " + std::to_string(kMaxTaskIndexBytes) + " bytes");
  }
  text.resize(n);
  ++out.counts.task_indexes;
  ++out.task_indexes;
  auto index = parse_task_index(text);
  if (!index) return fail(FindingId::taskIndexInvalid, index.error().message);
  const auto idx = static_cast<std::uint32_t>(out.index_paths.size());
  out.index_paths.push_back(obj.path);
  for (const auto& key : index->keys) {
    if (!opts_.shard.contains(shard_number(key))) continue;
    ++out.counts.references;
    out.refs.push_back({key20(key), u.run, idx});
  }
}

void Audit::run_unit(const Unit& u, UnitResult& out) {
  const FlowState& flow = flows_[u.flow];
  const bool first_shard = opts_.shard.index == 1;
  auto list_dirs = [&](const std::string& dir, std::vector<std::string>& into) {
    std::vector<std::string> found;
    Status s = storage_.list_types(dir, [&](const ObjectInfo& o) {
      if (o.type == ObjectInfo::Type::directory && !is_metadata_dir(basename(o.path))) found.push_back(o.path);
      return Status{};
    });
    if (!s.ok()) {
      if (first_shard) out.findings.push_back(file_finding(FindingId::unreadable, flow.name, ObjectInfo{dir}, s.error().message));
      out.index_incomplete = true;
    }
    std::sort(found.begin(), found.end());
    into.insert(into.end(), found.begin(), found.end());
  };
  // <run>/<step>/<task>/<attempt>.data.json; _meta folders hold local metadata, not steps.
  std::vector<std::string> steps, tasks;
  list_dirs(flow.name + "/" + u.name, steps);
  for (const auto& step : steps) list_dirs(step, tasks);
  for (const auto& task : tasks) {
    if (stopped()) {
      out.incomplete = out.index_incomplete = true;
      return;
    }
    // Metaflow's TaskDataStore looks for attempts 0, 1, ... and stops at the first missing
    // one after one was found (MAX_ATTEMPTS, 6 by default): the same, without listing the
    // task folder (logs, locks and _meta would all be stat'ed for nothing).
    // Each attempt is opened without a stat first: the opening tells its size (local: fstat;
    // S3: one GET instead of a HEAD and a GET), and a missing one is not_found all the same.
    bool found = false;
    for (int attempt = 0; attempt < kMaxProbedAttempts; ++attempt) {
      const std::string path = task + "/" + std::to_string(attempt) + ".data.json";
      auto src = storage_.open(path);
      if (!src) {
        if (src.error().code != Errc::not_found) {
          out.findings.push_back(file_finding(FindingId::unreadable, flow.name, ObjectInfo{path}, src.error().message));
          out.index_incomplete = true;
        }
        if (found || src.error().code != Errc::not_found) break;
        continue;
      }
      found = true;
      ObjectInfo obj{path};
      obj.type = ObjectInfo::Type::file;
      obj.size = (*src)->size_hint().value_or(0);
      obj.stat_known = false;  // a finding looks its size and mtime up (file_finding)
      read_task_index(u, obj, **src, out);
    }
  }
  if (!first_shard) {
    // Index findings are about files outside any <kk>: one shard reports them.
    std::erase_if(out.findings, [](const Finding& f) { return f.id == FindingId::taskIndexInvalid; });
  }
}

void Audit::merge(const Unit& u, UnitResult&& res) {
  std::vector<Finding> admitted;
  Counts counts = res.counts;
  for (auto& f : res.findings)
    if (admit(f, counts)) admitted.push_back(std::move(f));
  std::lock_guard lock(mu_);
  FlowState& flow = flows_[u.flow];
  report_.counts.add(counts);
  if (u.kind == Unit::Kind::blobs) {
    report_.by_flow[flow.name].add(res.flow_space);
    report_.total.add(res.flow_space);
    for (const auto& [enc, row] : res.by_encoding) {
      report_.by_encoding[enc].add(row);
      report_.by_flow_encoding[flow.name][enc].add(row);
    }
    add_rows(report_.readers, res.readers);
    if (!res.keys.empty()) flow.key_chunks.push_back(std::move(res.keys));
  } else {
    const auto base = static_cast<std::uint32_t>(flow.index_paths.size());
    for (auto& r : res.refs) r.index += base;
    if (!res.refs.empty()) flow.ref_chunks.push_back(std::move(res.refs));
    flow.index_paths.insert(flow.index_paths.end(), std::make_move_iterator(res.index_paths.begin()),
                            std::make_move_iterator(res.index_paths.end()));
    report_.by_run[flow.name + "/" + u.name].task_indexes += res.task_indexes;
  }
  if (res.incomplete) report_.complete = false;
  if (res.index_incomplete) flow.index_incomplete = true;
  if (!res.incomplete) ++flow.units_done;
  if (opts_.on_finding)
    for (const auto& f : admitted) opts_.on_finding(f);
  for (auto& f : admitted) report_.findings.push_back(std::move(f));
}

void Audit::work() {
  BlobChecker checker(storage_, opts_.max_size);
  for (;;) {
    if (stopped()) return;
    const std::size_t i = next_.fetch_add(1);
    if (i >= units_.size()) return;
    UnitResult res;
    if (units_[i].kind == Unit::Kind::blobs)
      blob_unit(units_[i], checker, res);
    else
      run_unit(units_[i], res);
    merge(units_[i], std::move(res));
    units_done_.fetch_add(1, std::memory_order_relaxed);
  }
}

// The records of all chunks in one vector of exactly their size.
template <class Record>
std::vector<Record> joined(std::vector<std::vector<Record>>& chunks) {
  std::size_t n = 0;
  for (const auto& c : chunks) n += c.size();
  std::vector<Record> all;
  all.reserve(n);
  for (auto& c : chunks) all.insert(all.end(), c.begin(), c.end());
  chunks.clear();
  chunks.shrink_to_fit();
  return all;
}

void Audit::resolve_reachability(FlowState& flow) {
  auto by_key = [](const auto& a, const auto& b) { return key_less(a.key, b.key); };
  // A <kk> unit lists its keys in order (blob_unit), so the chunks taken in order of their
  // first key are usually sorted already: checking is one pass, sorting them again was ~1%.
  std::sort(flow.key_chunks.begin(), flow.key_chunks.end(), [](const auto& a, const auto& b) { return key_less(a.front().key, b.front().key); });
  std::vector<KeyRecord> keys = joined(flow.key_chunks);
  if (!std::is_sorted(keys.begin(), keys.end(), by_key)) std::sort(keys.begin(), keys.end(), by_key);
  std::vector<RefRecord> refs = joined(flow.ref_chunks);
  std::sort(refs.begin(), refs.end(), [](const RefRecord& a, const RefRecord& b) {
    const int c = key_cmp(a.key, b.key);
    return c != 0 ? c < 0 : std::tie(a.run, a.index) < std::tie(b.run, b.index);
  });
  // Interrupted: some keys or references were never listed, so neither absence is known.
  if (flow.units_done != flow.units) {
    report_.reachability_unknown.push_back(flow.name);
    return;
  }
  // An unreadable task index hides references: nothing is known to be unreferenced then.
  const bool known = !flow.index_incomplete;
  if (!known) report_.reachability_unknown.push_back(flow.name);
  Counts counts;
  // Each run's row of by_run, found once (not a "<Flow>/<run>" string and a map lookup for
  // every referenced key); std::map's references stay valid as rows are added.
  std::vector<RunSpace*> run_rows(flow.runs.size(), nullptr);
  auto run_space = [&](std::uint32_t run) -> RunSpace& {
    if (!run_rows[run]) run_rows[run] = &report_.by_run[flow.name + "/" + flow.runs[run]];
    return *run_rows[run];
  };
  auto emit = [&](Finding f) {
    if (!admit(f, counts)) return;
    if (opts_.on_finding) opts_.on_finding(f);
    report_.findings.push_back(std::move(f));
  };
  // References from refs[r] on to another key are to one absent key: one finding.
  auto dangling = [&](std::size_t& r) {
    const Key20 missing = refs[r].key;
    const std::string& where = flow.index_paths[refs[r].index];
    std::size_t n = 0;
    for (; r < refs.size() && refs[r].key == missing; ++r) ++n;
    Finding f;
    f.id = FindingId::danglingReference;
    f.severity = info(f.id).severity;
    f.flow = flow.name;
    f.key = hex(missing);
    f.path = object_path(cas_prefix(flow.name), f.key);
    f.message = "referred to by " + std::to_string(n) + " artifact" + (n == 1 ? "" : "s") + " (first in " + where + ") but absent";
    emit(std::move(f));
  };
  std::size_t r = 0;
  std::vector<std::uint32_t> runs;  // the runs referring to the key; its memory kept from key to key
  for (const KeyRecord& k : keys) {
    while (r < refs.size() && key_less(refs[r].key, k.key)) dangling(r);
    runs.clear();
    for (; r < refs.size() && refs[r].key == k.key; ++r)
      if (runs.empty() || runs.back() != refs[r].run) runs.push_back(refs[r].run);
    SpaceRow one;
    one.blobs = 1;
    one.stored = k.stored;
    if (k.content_known) one.content = k.content, one.content_blobs = 1;
    for (std::uint32_t run : runs) {
      RunSpace& rs = run_space(run);
      rs.referenced.add(one);
      if (runs.size() == 1) rs.exclusive.add(one);
    }
    if (runs.empty() && known) {
      Finding f;
      f.id = FindingId::unreferenced;
      f.severity = info(f.id).severity;
      f.flow = flow.name;
      f.key = hex(k.key);
      f.path = object_path(cas_prefix(flow.name), f.key);
      f.size = k.stored;
      f.mtime_ns = k.mtime_ns;
      f.message = k.raw ? "no task index refers to this raw blob (save_data: code packages and metadata tarballs are referred to from run metadata)"
                        : "no task index refers to this blob";
      if (k.gc_ok && k.mtime_ns < now_ns_ - opts_.grace_ns && !opts_.skip_keys.count(f.key))
        report_.gc.push_back({f.flow, f.key, f.path, f.size, f.mtime_ns});
      emit(std::move(f));
    }
  }
  while (r < refs.size()) dangling(r);
  report_.counts.skipped += counts.skipped;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

Result<AuditReport> Audit::run() {
  if (opts_.shard.count < 1 || opts_.shard.count > 256 || opts_.shard.index < 1 || opts_.shard.index > opts_.shard.count)
    return Error(Errc::usage, "--shard K/N needs 1 <= K <= N <= 256");
  if (!(opts_.sample.fraction > 0.0) || opts_.sample.fraction > 1.0) return Error(Errc::usage, "--sample must be in (0, 1]");
  const auto t0 = std::chrono::steady_clock::now();
  now_ns_ = opts_.now_ns ? opts_.now_ns
                         : std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  report_.root = storage_.url();
  report_.level = opts_.level;
  report_.shard = opts_.shard;
  report_.sample = opts_.sample;
  report_.max_size = opts_.max_size;
  report_.grace_ns = opts_.grace_ns;
  report_.started = utc_now();
  report_.lz4_available = lz4_available();
  report_.readers = make_reader_rows();
  CASBLOB_TRY(discover());
  Counts early_counts;
  for (auto& f : early_)
    if (admit(f, early_counts)) {
      if (opts_.on_finding) opts_.on_finding(f);
      report_.findings.push_back(std::move(f));
    }
  report_.counts.add(early_counts);

  unsigned jobs = opts_.jobs ? opts_.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(units_.size(), 1)));
  report_.jobs = jobs;
  std::vector<std::thread> workers;
  std::mutex done_mu;
  std::condition_variable done_cv;
  std::size_t running = jobs;
  for (unsigned i = 0; i < jobs; ++i)
    workers.emplace_back([&] {
      work();
      std::lock_guard lock(done_mu);
      --running;
      done_cv.notify_all();
    });
  {
    std::unique_lock lock(done_mu);
    while (running > 0) {
      done_cv.wait_for(lock, std::chrono::milliseconds(200));
      if (opts_.on_progress) {
        Progress p{objects_.load(), bytes_.load(), units_done_.load(), units_.size()};
        lock.unlock();
        opts_.on_progress(p);
        lock.lock();
      }
    }
  }
  for (auto& w : workers) w.join();
  if (units_done_.load() < units_.size()) report_.complete = false;
  report_.interrupted = stopped();
  for (auto& flow : flows_) resolve_reachability(flow);
  std::sort(report_.findings.begin(), report_.findings.end(), finding_less);
  std::sort(report_.gc.begin(), report_.gc.end(), [](const GcEntry& a, const GcEntry& b) { return std::tie(a.flow, a.key) < std::tie(b.flow, b.key); });
  report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::move(report_);
}

}  // namespace

Result<AuditReport> run_audit(Storage& storage, const AuditOptions& opts) {
  Audit audit(storage, opts);
  return audit.run();
}

}  // namespace casblob::audit
