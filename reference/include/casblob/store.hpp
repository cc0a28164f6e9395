// Datastores (spec 3.2, 3.3, 4.2): where Metaflow keeps blobs and their sidecars.
//
// Two levels:
//  * Storage: a datastore root as an object store with a few operations (list, stat, open,
//    sidecar, no-overwrite put, sidecar rewrite, a move into a quarantine). Backends: the local
//    filesystem (LocalStorage) and S3 (s3_storage.hpp, when built). Nothing in the interface
//    deletes an object.
//  * CasStore: one flow's content-addressed store, `<flow>/data/<kk>/<key>`, on a Storage:
//    Metaflow's save_blobs/load_blobs with casblob's reader and writers.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "casblob/io.hpp"
#include "casblob/key.hpp"
#include "casblob/reader.hpp"
#include "casblob/writer.hpp"

namespace casblob {

class ParallelEncoder;  // casblob/experimental/parallel_encoder.hpp

// ---- names and paths ------------------------------------------------------------------------

// Metaflow flow names are Python class names: [A-Za-z_][A-Za-z0-9_]*, at most 255 bytes. Any
// other name is refused with `usage` before a path is built from it (spec 10.3: "..", "/",
// empty, newlines and absolute names cannot reach the filesystem).
Status check_flow_name(std::string_view flow);

// "<flow>/data": the CAS prefix of a flow, relative to the datastore root (R-KEY-3). Blobs are
// at object_path(cas_prefix(flow), key) (key.hpp).
std::string cas_prefix(std::string_view flow);

// A relative object path: '/'-separated segments, none empty, "." or "..", no NUL. What every
// Storage method takes (usage otherwise).
Status check_relative_path(std::string_view path);

// The largest sidecar a reader accepts (spec 10.2): Metaflow's are 37 bytes; anything beyond
// this is not a sidecar Metaflow wrote and is refused (meta_invalid) without reading it all.
inline constexpr std::uint64_t kMaxSidecarBytes = 64 * 1024;

// ---- Storage --------------------------------------------------------------------------------

struct ObjectInfo {
  enum class Type { file, directory, other };
  std::string path;  // relative to the root
  Type type = Type::file;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // last modification (S3: LastModified)
  bool stat_known = true;     // false: size and mtime_ns were not looked up (Storage::list_types)
};

struct PutResult {
  bool created = false;  // false: a payload was already there and was left alone
};

enum class PutMode {
  if_absent,  // never replace an existing payload (put): of two concurrent writers of one path
              // exactly one creates it, and only that one writes the sidecar
  replace,    // replace the payload (heal, repair, migrate)
};

// A payload being written whose name is known only at the end (the key is the SHA-1 of the
// content, complete after the last byte). Destroyed without commit: nothing is left behind.
class PendingBlob : public Sink {
 public:
  // Publishes the bytes written as `blob_path`; then, when `sidecar` is given and the payload
  // was written, the sidecar (R-KEY-4: local, payload first, each atomically and durably; S3,
  // one PUT carrying the metadata). nullopt leaves the sidecar as it is.
  virtual Result<PutResult> commit(std::string_view blob_path, const std::optional<std::string>& sidecar,
                                   PutMode mode) = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;
  // "file:///abs/root" or "s3://bucket/prefix".
  virtual std::string url() const = 0;

  // The entries directly under `dir` ("" = the root), in no particular order. A backend
  // without directories (S3) reports common prefixes as directories. not_found when `dir` does
  // not exist.
  virtual Status list(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) = 0;
  // The same entries with their types, but where a backend can tell the type without a
  // per-entry stat (local: the directory entry's d_type) without size and mtime_ns
  // (stat_known false): for a scan that opens, and so fstat's, each entry it keeps anyway.
  // The default is list(), which S3's listing answers with sizes at no extra cost.
  virtual Status list_types(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each);
  virtual Result<ObjectInfo> stat(std::string_view path) = 0;  // not_found when absent
  // A regular object as a stream (io_error for anything else: spec 10.7).
  virtual Result<std::unique_ptr<Source>> open(std::string_view path) = 0;

  // The sidecar of the blob at `blob_path` where this datastore keeps it (R-META-5): local,
  // the file "<blob_path>_meta"; S3, the object's metadata `metaflow-user-attributes`.
  // nullopt: absent. Longer than kMaxSidecarBytes: meta_invalid.
  virtual Result<SidecarText> read_sidecar(std::string_view blob_path) = 0;

  // The payload as a stream and its sidecar, as one reading: what get and audit need per blob.
  // The default is open() then read_sidecar(); S3 takes both from one GET (the metadata of the
  // very object being streamed, and half the requests).
  struct OpenedBlob {
    std::unique_ptr<Source> payload;
    SidecarText sidecar;
    std::optional<std::int64_t> mtime_ns;  // the payload's, when opening it told (local: fstat)
  };
  virtual Result<OpenedBlob> open_blob(std::string_view blob_path);

  // Starts a payload; its temporary bytes live under `dir` (local: a recognisable temporary
  // file, spec 10.6), so that the commit is a rename within one filesystem.
  virtual Result<std::unique_ptr<PendingBlob>> begin_blob(std::string_view dir) = 0;

  // Writes (or rewrites) the sidecar of an existing blob, atomically: healing and repair.
  virtual Status write_sidecar(std::string_view blob_path, const std::string& sidecar) = 0;

  // Moves the object at `path` (a payload, a sidecar file, a temporary file) out of the
  // datastore into the local folder `dest_dir`, as `dest_rel` (a relative path beneath it,
  // folders created), never replacing a file there, never by copy and delete, durably (both
  // folders fsynced). The one operation that takes an object out of a store: `casblob repair
  // --quarantine` (git-lfs fsck's .git/lfs/bad); nothing is ever deleted. `dest_dir` must not
  // lie inside a flow of this store (usage). A backend that cannot move an object into a local
  // folder answers usage ("cannot quarantine"): the default, and S3's today.
  virtual Status move_to_quarantine(std::string_view path, const std::string& dest_dir, std::string_view dest_rel);
};

struct StorageOptions {
  bool read_only = false;  // every writing method fails with usage (audit, doctor)
  // Object stores only (s3://, s3_storage.hpp); a local root ignores them.
  std::string endpoint_url;  // --endpoint-url: beats the environment's endpoint
  unsigned jobs = 0;         // --jobs: parallel requests to expect (0: the backend's default)
};

// A local datastore root (Metaflow's LocalStorage: `.metaflow`). Paths never leave the root:
// a symbolic link anywhere below it is refused (io_error), so a link planted in the store
// cannot make a reader read, or a writer write, outside it (spec 10.3).
class LocalStorage final : public Storage {
 public:
  static Result<std::unique_ptr<LocalStorage>> open(const std::string& root, StorageOptions opts = {});
  ~LocalStorage() override;
  std::string url() const override;
  const std::string& root() const { return root_; }

  Status list(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) override;
  Status list_types(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) override;
  Result<ObjectInfo> stat(std::string_view path) override;
  Result<std::unique_ptr<Source>> open(std::string_view path) override;
  Result<SidecarText> read_sidecar(std::string_view blob_path) override;
  Result<OpenedBlob> open_blob(std::string_view blob_path) override;
  Result<std::unique_ptr<PendingBlob>> begin_blob(std::string_view dir) override;
  Status write_sidecar(std::string_view blob_path, const std::string& sidecar) override;
  Status move_to_quarantine(std::string_view path, const std::string& dest_dir, std::string_view dest_rel) override;

 private:
  LocalStorage(std::string root, int root_fd, StorageOptions opts);
  Status list_entries(std::string_view dir, bool stat_each, const std::function<Status(const ObjectInfo&)>& each);
  std::string root_;
  int root_fd_ = -1;
  StorageOptions opts_;
  // Read-only: descriptors of the directories used last (an audit reads blob after blob from
  // one <kk> folder; resolving four path components per file was most of its system calls).
  struct DirCache;
  std::unique_ptr<DirCache> dir_cache_;
};

// A datastore root by name: "s3://bucket/prefix" is S3Storage, configured from the
// environment as the AWS tools find it (s3_storage.hpp; usage when this build has no S3
// backend or no credentials are found); anything else a local directory (LocalStorage).
// not_found when a local root does not exist.
Result<std::unique_ptr<Storage>> open_storage(const std::string& root, StorageOptions opts = {});

// A sidecar file by path (`casblob decode --meta FILE`, `IN_meta`): the loader every local
// reader shares. nullopt when absent; refuses non-regular files (io_error) and files longer
// than kMaxSidecarBytes (meta_invalid), both without reading them. `follow` false refuses a
// symbolic link (io_error): for a sidecar found by naming convention rather than named.
Result<SidecarText> read_sidecar_file(const std::string& path, bool follow = true);

// ---- CasStore -------------------------------------------------------------------------------

struct PutInfo {
  EncodeInfo encode;   // key, sidecar text, sizes of what was (or would have been) written
  enum class Outcome {
    stored,            // payload and sidecar written
    already_stored,    // payload and sidecar were there (Metaflow skips them)
    sidecar_healed,    // the payload was there without sidecar: its own sidecar was written
    payload_replaced,  // the payload was there without sidecar and did not read as its key
  } outcome = Outcome::stored;
};
std::string_view name(PutInfo::Outcome o) noexcept;  // "stored", "already_stored", ...

class CasStore {
 public:
  // Fails with usage unless `flow` is a flow name (check_flow_name).
  static Result<CasStore> open(Storage& storage, std::string flow);
  const std::string& flow() const { return flow_; }
  std::string blob_path(std::string_view key) const;  // "<flow>/data/<kk>/<key>"

  // Hashes and encodes `content`, stores it unless its key is already there (Metaflow skips
  // existing objects). A payload found without its sidecar is what an interrupted put leaves
  // (R-KEY-4 allows that state): put heals it instead of skipping it. If the payload reads as
  // its key by its own magic (gzip, lz4 frame, or raw), the matching canonical sidecar is
  // written; otherwise the payload is replaced by this put's. So a re-put always ends with a
  // blob that every reader reads right or fails cleanly on.
  // `parallel`: hash on that encoder's second thread (large inputs); nullptr: this thread.
  Result<PutInfo> put(Source& content, const EncodeOptions& opts, ParallelEncoder* parallel = nullptr);

  // not_found when the blob is absent; otherwise decode_blob with the key known.
  Result<DecodeInfo> get(std::string_view key, const ReadOptions& opts, Sink& out);

 private:
  CasStore(Storage& storage, std::string flow) : storage_(&storage), flow_(std::move(flow)) {}
  Storage* storage_;
  std::string flow_;
};

}  // namespace casblob
