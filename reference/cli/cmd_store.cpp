// casblob put / get: a Metaflow datastore, local (<root>/<flow>/data/<kk>/<key> + _meta) or
// on S3 (s3://bucket/prefix, the sidecar in the object's metadata).
#include <sys/stat.h>

#include <atomic>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

#include "casblob/experimental/parallel_encoder.hpp"
#include "commands.hpp"
#include "io_targets.hpp"
#include "options.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

Result<CasStore> open_store(Storage& storage, const std::string& flow) { return CasStore::open(storage, flow); }

// Writes above this size are refused by the default strict reader (limit_exceeded): say so at
// write time (F22), the write itself still happens.
void warn_if_beyond_default_limit(const PutInfo& info, const std::string& file) {
  if (info.encode.input_size > kDefaultMaxSize)
    std::cerr << "casblob: warning: " << printable(file) << " is " << info.encode.input_size
              << " bytes: a strict reader refuses it unless given --max-size (default 4 GiB)\n";
}

constexpr const char* kRootHelp = "Datastore root: a directory (Metaflow: .metaflow) or s3://bucket/prefix";

// Runs `one(i)` for i in [0, n) on `jobs` threads (each with its own ParallelEncoder): an object
// store is latency-bound, so puts overlap their requests (--jobs).
void for_each_parallel(std::size_t n, unsigned jobs, const std::function<void(std::size_t, ParallelEncoder&)>& one) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    ParallelEncoder parallel;  // its thread, if started, is joined when the worker ends
    for (std::size_t i; (i = next++) < n;) one(i, parallel);
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<std::size_t>(jobs, n); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

}  // namespace

void add_put(CLI::App& app, int& exit) {
  struct Opts {
    std::string root, flow;
    int version = 1;
    bool raw = false, json = false;
    std::vector<std::string> files;
    StorageOptions storage;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("put", "Store files in a Metaflow datastore; prints one key per file");
  cmd->add_option("--root", o->root, kRootHelp)->required();
  add_storage_options(cmd, o->storage, true);
  cmd->add_option("--flow", o->flow, "Flow name (a Python identifier)")->required();
  cmd->add_option("--version", o->version, "Encoding: 1 = gzip (released Metaflow), 2 = lz4 (PR #3090)")
      ->check(CLI::IsMember({1, 2}));
  cmd->add_flag("--raw", o->raw, "Store as-is (cas_raw: true)");
  cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
  cmd->add_option("FILE", o->files, "Files to store (- for standard input)")->required();
  cmd->callback([o, &exit] {
    // F5: the flow name is checked before any path is built from it.
    if (Status s = check_flow_name(o->flow); !s.ok()) return void(exit = fail(s.error()));
    auto storage = open_storage(o->root, o->storage);
    if (!storage) {
      // put creates a local root, as Metaflow's LocalStorage does.
      if (storage.error().code == Errc::not_found && ::mkdir(o->root.c_str(), 0777) == 0)
        storage = open_storage(o->root, o->storage);
      if (!storage) return void(exit = fail(storage.error()));
    }
    auto store = open_store(**storage, o->flow);
    if (!store) return void(exit = fail(store.error()));
    EncodeOptions eo;
    eo.version = o->version;
    eo.raw = o->raw;
    // Metaflow writes time.time() into the gzip header; so does put (encode takes --mtime).
    eo.gzip.mtime = static_cast<std::uint32_t>(std::time(nullptr));
    // Every file is tried (F21); the first failure (in argument order) decides the exit code,
    // each gets a result, printed in argument order whatever order the workers finish in.
    std::vector<Result<PutInfo>> infos(o->files.size(), Result<PutInfo>(Error(Errc::usage, "not tried")));
    std::mutex err_mutex;
    for_each_parallel(o->files.size(), std::max(1u, o->storage.jobs), [&](std::size_t i, ParallelEncoder& parallel) {
      auto src = open_input(o->files[i]);
      infos[i] = src ? store->put(**src, eo, &parallel) : Result<PutInfo>(src.error());
      std::lock_guard lock(err_mutex);
      if (infos[i]) warn_if_beyond_default_limit(*infos[i], o->files[i]);
    });
    json results = json::array();
    int status = 0;
    for (std::size_t i = 0; i < o->files.size(); ++i) {
      const auto& f = o->files[i];
      const auto& info = infos[i];
      if (!info) {
        if (o->json) {
          json e = error_json(info.error());
          e["file"] = f;
          results.push_back(e);
        }
        int rc = fail(info.error());
        if (!status) status = rc;
        continue;
      }
      const std::string path = store->blob_path(info->encode.key);
      results.push_back({{"ok", true},
                         {"file", f},
                         {"key", info->encode.key},
                         {"size", info->encode.input_size},
                         {"stored_size", info->encode.stored_size},
                         {"outcome", std::string(name(info->outcome))},
                         {"path", path},
                         {"url", (*storage)->url() + "/" + path}});
      if (!o->json) std::cout << info->encode.key << "  " << printable(f) << "\n";
    }
    if (o->json) print_json({{"ok", status == 0}, {"objects", results}});
    exit = status;
  });
}

void add_get(CLI::App& app, int& exit) {
  struct Opts {
    std::string root, flow, key, out, profile = "strict", max_size = std::to_string(kDefaultMaxSize);
    StorageOptions storage;
  };
  auto o = std::make_shared<Opts>();
  o->storage.read_only = true;
  auto* cmd = app.add_subcommand("get", "Read KEY from a Metaflow datastore into OUT");
  cmd->add_option("--root", o->root, kRootHelp)->required();
  add_storage_options(cmd, o->storage, false);
  cmd->add_option("--flow", o->flow, "Flow name (a Python identifier)")->required();
  add_profile_option(cmd, o->profile);
  cmd->add_option("--max-size", o->max_size, "strict: maximum decoded size in bytes");
  cmd->add_option("KEY", o->key, "Object key")->required();
  cmd->add_option("OUT", o->out, "Output file, or - for stdout")->required();
  cmd->callback([o, &exit] {
    // Step 1 first (F17): a bad key is usage before any file is looked at or created.
    if (!is_valid_key(o->key)) return void(exit = fail(Error(Errc::usage, "key must be 40 lowercase hex digits")));
    if (Status s = check_flow_name(o->flow); !s.ok()) return void(exit = fail(s.error()));
    auto max = parse_size(o->max_size, "--max-size");
    if (!max) return void(exit = fail(max.error()));
    ReadOptions ro;
    ro.profile = *profile_from_name(o->profile);
    ro.max_size = *max;
    auto storage = open_storage(o->root, o->storage);
    if (!storage) return void(exit = fail(storage.error()));
    auto store = open_store(**storage, o->flow);
    if (!store) return void(exit = fail(store.error()));
    // The same output rule as decode: under strict, stdout gets only verified bytes (R-READ-6).
    auto out = OutputTarget::make(o->out, ro.profile == Profile::strict);
    auto info = store->get(o->key, ro, out.sink());
    if (!info) return void(exit = fail(info.error()));
    Status st = out.commit();
    if (!st.ok()) return void(exit = fail(st.error()));
    exit = 0;
  });
}

}  // namespace casblob::cli
