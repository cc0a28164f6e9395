// casblob put / get: a Metaflow local datastore (<root>/<flow>/data/<kk>/<key> + _meta).
#include <iostream>

#include "commands.hpp"
#include "output.hpp"

namespace casblob::cli {

void add_put(CLI::App& app, int& exit) {
  struct Opts {
    std::string root, flow;
    int version = 1;
    bool raw = false, json = false;
    std::vector<std::string> files;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("put", "Store files in a Metaflow local datastore; prints one key per file");
  cmd->add_option("--root", o->root, "Datastore root (Metaflow: .metaflow)")->required();
  cmd->add_option("--flow", o->flow, "Flow name")->required();
  cmd->add_option("--version", o->version, "Encoding: 1 = gzip (released Metaflow), 2 = lz4 (PR #3090)")
      ->check(CLI::IsMember({1, 2}));
  cmd->add_flag("--raw", o->raw, "Store as-is (cas_raw: true)");
  cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
  cmd->add_option("FILE", o->files, "Files to store")->required();
  cmd->callback([o, &exit] {
    LocalStore store(o->root, o->flow);
    EncodeOptions eo;
    eo.version = o->version;
    eo.raw = o->raw;
    // Metaflow writes time.time() into the gzip header; so does put (encode takes --mtime).
    eo.gzip.mtime = static_cast<std::uint32_t>(std::time(nullptr));
    json results = json::array();
    for (const auto& f : o->files) {
      auto info = store.put(f, eo);
      if (!info) {
        if (o->json) print_json(error_json(info.error()));
        return void(exit = fail(info.error()));
      }
      results.push_back({{"file", f}, {"key", info->key}, {"size", info->input_size}, {"stored_size", info->stored_size},
                         {"path", object_path(store.prefix(), info->key)}});
      if (!o->json) std::cout << info->key << "  " << f << "\n";
    }
    if (o->json) print_json({{"ok", true}, {"objects", results}});
    exit = 0;
  });
}

void add_get(CLI::App& app, int& exit) {
  struct Opts {
    std::string root, flow, key, out, profile = "strict";
    std::uint64_t max_size = kDefaultMaxSize;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("get", "Read KEY from a Metaflow local datastore into OUT");
  cmd->add_option("--root", o->root, "Datastore root (Metaflow: .metaflow)")->required();
  cmd->add_option("--flow", o->flow, "Flow name")->required();
  cmd->add_option("--profile", o->profile, "legacy | v2 | v2-nolz4 | strict")
      ->check(CLI::IsMember({"legacy", "v2", "v2-nolz4", "strict"}));
  cmd->add_option("--max-size", o->max_size, "strict: maximum decoded size in bytes");
  cmd->add_option("KEY", o->key, "Object key")->required();
  cmd->add_option("OUT", o->out, "Output file")->required();
  cmd->callback([o, &exit] {
    LocalStore store(o->root, o->flow);
    ReadOptions ro;
    ro.profile = *profile_from_name(o->profile);
    ro.max_size = o->max_size;
    auto out = AtomicFileSink::create(o->out);
    if (!out) return void(exit = fail(out.error()));
    auto info = store.get(o->key, ro, *out);
    if (!info) return void(exit = fail(info.error()));
    Status st = out->commit();
    if (!st.ok()) return void(exit = fail(st.error()));
    exit = 0;
  });
}

}  // namespace casblob::cli
