// Metaflow's local datastore layout (spec 3.2, 3.3): blob then sidecar, each temp file + rename,
// existing objects left alone (content addressing makes them identical).
#include "casblob/store.hpp"

#include <sys/stat.h>

#include <filesystem>

#include "casblob/key.hpp"
#include "casblob/experimental/pipeline.hpp"

namespace fs = std::filesystem;

namespace casblob {

LocalStore::LocalStore(std::string root, std::string flow) : root_(std::move(root)), flow_(std::move(flow)) {}

std::string LocalStore::prefix() const { return (fs::path(root_) / flow_ / "data").string(); }

Result<EncodeInfo> LocalStore::put(const std::string& file, const EncodeOptions& opts) {
  std::error_code ec;
  fs::create_directories(prefix(), ec);
  if (ec) return Error(Errc::io_error, "cannot create " + prefix() + ": " + ec.message());
  auto src = FileSource::open(file);
  if (!src) return src.error();
  // The key is known only after the whole input is read: encode into a temp file in the
  // prefix, then rename it into <kk>/<key> (same filesystem, so the rename is atomic).
  auto staging = AtomicFileSink::create(prefix() + "/.casblob-put");  // only its temp name is used
  if (!staging) return staging.error();
  std::optional<std::uint64_t> size;
  if (src->size_hint() >= 0) size = static_cast<std::uint64_t>(src->size_hint());
  auto info = encode_blob_parallel(*src, size, opts, *staging);  // threaded from 8 MiB
  if (!info) return info.error();

  std::string path = object_path(prefix(), info->key);
  if (fs::exists(path, ec)) return info;  // already stored: Metaflow skips it; staging is dropped
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Error(Errc::io_error, "cannot create " + fs::path(path).parent_path().string() + ": " + ec.message());
  CASBLOB_TRY(staging->commit_as(path));

  auto meta = AtomicFileSink::create(path + "_meta");
  if (!meta) return meta.error();
  CASBLOB_TRY(meta->write(as_bytes(info->meta)));
  CASBLOB_TRY(meta->commit());
  return info;
}

Result<DecodeInfo> LocalStore::get(const std::string& key, const ReadOptions& opts, Sink& out) {
  if (!is_valid_key(key)) return Error(Errc::usage, "key must be 40 lowercase hex digits");
  std::string path = object_path(prefix(), key);
  auto src = FileSource::open(path);
  if (!src) return src.error();
  SidecarText sidecar;
  auto meta = read_file(path + "_meta");
  if (meta) {
    sidecar = std::string(meta->begin(), meta->end());
  } else if (meta.error().code != Errc::not_found) {
    return meta.error();
  }
  ReadOptions o = opts;
  o.key = key;
  return decode_blob(*src, sidecar, o, out);
}

}  // namespace casblob
