#include "audit/merge.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "audit/readers_table.hpp"

namespace casblob::audit {

Result<AuditReport> merge_reports(std::vector<AuditReport> shards) {
  if (shards.empty()) return Error(Errc::usage, "no reports to merge");
  std::sort(shards.begin(), shards.end(), [](const auto& a, const auto& b) { return a.shard.index < b.shard.index; });
  AuditReport out = shards.front();
  out.findings.clear();
  out.gc.clear();
  std::set<unsigned> seen;
  std::set<std::string> flows, unknown;
  out.counts = {};
  out.total = {};
  out.by_flow.clear(), out.by_encoding.clear(), out.by_flow_encoding.clear(), out.by_run.clear();
  out.readers = make_reader_rows();
  out.seconds = 0;
  out.jobs = 0;
  for (auto& s : shards) {
    if (s.root != out.root || s.level != out.level || s.shard.count != out.shard.count ||
        s.sample.fraction != out.sample.fraction || s.sample.seed != out.sample.seed)
      return Error(Errc::usage, "report of shard " + std::to_string(s.shard.index) + "/" + std::to_string(s.shard.count) +
                                    " is not of the same audit (root, level, shard count and sample must agree)");
    if (!seen.insert(s.shard.index).second) return Error(Errc::usage, "shard " + std::to_string(s.shard.index) + " given twice");
    if (!add_rows(out.readers, s.readers))
      return Error(Errc::usage, "shard " + std::to_string(s.shard.index) + " has other reader rows (another casblob version?)");
    out.counts.add(s.counts);
    out.total.add(s.total);
    for (const auto& [k, v] : s.by_flow) out.by_flow[k].add(v);
    for (const auto& [k, v] : s.by_encoding) out.by_encoding[k].add(v);
    for (const auto& [f, encs] : s.by_flow_encoding)
      for (const auto& [k, v] : encs) out.by_flow_encoding[f][k].add(v);
    for (const auto& [k, v] : s.by_run) {
      // Task indexes are read by every shard (each keeps the references to its own keys).
      RunSpace& rs = out.by_run[k];
      const auto indexes = std::max(rs.task_indexes, v.task_indexes);
      rs.add(v);
      rs.task_indexes = indexes;
    }
    flows.insert(s.flows.begin(), s.flows.end());
    unknown.insert(s.reachability_unknown.begin(), s.reachability_unknown.end());
    out.complete = out.complete && s.complete;
    out.interrupted = out.interrupted || s.interrupted;
    out.lz4_available = out.lz4_available && s.lz4_available;
    out.seconds = std::max(out.seconds, s.seconds);
    out.jobs += s.jobs;
    out.started = std::min(out.started, s.started);
    for (auto& f : s.findings) out.findings.push_back(std::move(f));
    for (auto& g : s.gc) out.gc.push_back(std::move(g));
  }
  // Every shard reads all task indexes: count them once.
  out.counts.task_indexes = shards.front().counts.task_indexes;
  if (seen.size() != out.shard.count) out.complete = false;
  out.flows.assign(flows.begin(), flows.end());
  out.reachability_unknown.assign(unknown.begin(), unknown.end());
  out.shard = {1, 1};
  std::sort(out.findings.begin(), out.findings.end(), finding_less);
  std::sort(out.gc.begin(), out.gc.end(), [](const GcEntry& a, const GcEntry& b) { return std::tie(a.flow, a.key) < std::tie(b.flow, b.key); });
  return out;
}

}  // namespace casblob::audit
