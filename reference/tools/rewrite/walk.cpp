#include "rewrite/walk.hpp"

#include <algorithm>

#include "audit/flows.hpp"
#include "audit/layout.hpp"
#include "casblob/key.hpp"

namespace casblob::rewrite {

Result<std::vector<Unit>> list_units(Storage& storage, const std::vector<std::string>& flows) {
  std::vector<std::string> names;
  if (!flows.empty()) {
    // Named flows are looked up themselves: no listing of the root and stat of every other
    // flow's data folder (one request each on S3).
    for (const auto& f : flows) CASBLOB_TRY(audit::find_named_flow(storage, f));
    names = flows;
  } else {
    Status listed = storage.list("", [&](const ObjectInfo& o) {
      if (o.type == ObjectInfo::Type::directory && check_flow_name(o.path).ok()) {
        auto data = storage.stat(cas_prefix(o.path));
        if (data && data->type == ObjectInfo::Type::directory) names.push_back(o.path);
      }
      return Status{};
    });
    if (!listed.ok()) {
      if (listed.code() == Errc::not_found) return Error(Errc::not_found, "not a Metaflow datastore: " + listed.error().message);
      return listed.error();
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.empty()) return Error(Errc::not_found, "not a Metaflow datastore: no <Flow>/data folder in " + storage.url());
  std::vector<Unit> units;
  for (const auto& flow : names) {
    std::vector<std::string> kks;
    Status s = storage.list(cas_prefix(flow), [&](const ObjectInfo& o) {
      if (o.type == ObjectInfo::Type::directory && audit::is_shard_name(o.path.substr(o.path.find_last_of('/') + 1)))
        kks.push_back(o.path.substr(o.path.find_last_of('/') + 1));
      return Status{};
    });
    if (!s.ok()) return s.error();
    std::sort(kks.begin(), kks.end());
    for (auto& kk : kks) units.push_back({flow, kk});
  }
  return units;
}

Result<std::vector<audit::BlobRef>> list_blobs(Storage& storage, const Unit& unit) {
  std::vector<audit::BlobRef> blobs;
  const std::string dir = unit.dir();
  Status s = storage.list(dir, [&](const ObjectInfo& o) {
    const std::string name = o.path.substr(o.path.find_last_of('/') + 1);
    std::string_view key;
    if (o.type == ObjectInfo::Type::file && audit::classify_entry(name, unit.kk, &key) == audit::EntryKind::blob)
      blobs.push_back({unit.flow, std::string(key), dir + "/" + name, o});
    return Status{};
  });
  if (!s.ok()) return s.error();
  std::sort(blobs.begin(), blobs.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return blobs;
}

}  // namespace casblob::rewrite
