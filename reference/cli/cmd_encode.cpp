// casblob encode: write a blob and its sidecar as Metaflow (v1) or PR #3090 (v2) would.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>

#include "casblob/experimental/parallel_encoder.hpp"
#include "commands.hpp"
#include "io_targets.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

// Encoding over an existing OUT replaces it: the old payload goes first (see below).
Status remove_old_payload(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return {};
  return Error(Errc::io_error, "cannot replace " + path + ": " + std::strerror(errno));
}

}  // namespace

void add_encode(CLI::App& app, int& exit) {
  struct Opts {
    int version = 1;
    bool raw = false, content_checksum = false, block_checksum = false, independent = false;
    std::string block_size = "64KB";
    int gzip_level = 3, lz4_level = 0;
    std::uint32_t mtime = 0;
    std::optional<std::string> name;
    std::string in, out;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("encode", "Encode IN as a blob at OUT plus its sidecar OUT_meta; prints the key");
  cmd->add_option("--version", o->version, "Encoding version: 1 = gzip, 2 = lz4 frame")->check(CLI::IsMember({1, 2}));
  cmd->add_flag("--raw", o->raw, "Store the bytes as-is (cas_raw: true)");
  cmd->add_flag("--content-checksum", o->content_checksum, "v2: set the lz4 content checksum (XXH32)");
  cmd->add_flag("--block-checksum", o->block_checksum, "v2: set lz4 block checksums");
  cmd->add_flag("--independent", o->independent, "v2: independent blocks (python-lz4 block_linked=False)");
  cmd->add_option("--block-size", o->block_size, "v2: maximum block size")
      ->check(CLI::IsMember({"64KB", "256KB", "1MB", "4MB"}));
  cmd->add_option("--gzip-level", o->gzip_level, "v1: zlib level (Metaflow: 3)")->check(CLI::Range(0, 9));
  cmd->add_option("--lz4-level", o->lz4_level, "v2: lz4 compression level (python-lz4 default 0)");
  cmd->add_option("--mtime", o->mtime, "v1: gzip header MTIME (Python writes the current time)");
  cmd->add_option("--name", o->name, "v1: gzip FNAME, as older datastores wrote");
  cmd->add_option("IN", o->in, "Input file, or - for standard input")->required();
  cmd->add_option("OUT", o->out, "Blob file to write (OUT_meta is written beside it)")->required();
  cmd->callback([o, &exit] {
    static const std::map<std::string, Lz4BlockSize> sizes{{"64KB", Lz4BlockSize::max64KB},
                                                           {"256KB", Lz4BlockSize::max256KB},
                                                           {"1MB", Lz4BlockSize::max1MB},
                                                           {"4MB", Lz4BlockSize::max4MB}};
    EncodeOptions eo;
    eo.version = o->version;
    eo.raw = o->raw;
    eo.gzip.level = o->gzip_level;
    eo.gzip.mtime = o->mtime;
    eo.gzip.file_name = o->name;
    eo.lz4.level = o->lz4_level;
    eo.lz4.block_size = sizes.at(o->block_size);
    eo.lz4.independent_blocks = o->independent;
    eo.lz4.content_checksum = o->content_checksum;
    eo.lz4.block_checksum = o->block_checksum;

    auto src = open_input(o->in);
    if (!src) return void(exit = fail(src.error()));
    auto blob = AtomicFileSink::create(o->out);
    if (!blob) return void(exit = fail(blob.error()));
    auto meta = AtomicFileSink::create(o->out + "_meta");
    if (!meta) return void(exit = fail(meta.error()));
    // >= 8 MiB (or unknown size): SHA-1 on a second thread, same bytes (parallel_encoder.hpp).
    ParallelEncoder parallel;
    auto info = parallel.encode(**src, eo, *blob);
    if (!info) return void(exit = fail(info.error()));
    if (Status st = meta->write(as_bytes(info->meta)); !st.ok()) return void(exit = fail(st.error()));
    // OUT and OUT_meta are two files: no order of two renames is atomic. The old payload (if
    // any) is removed first, then the sidecar and the payload are renamed in, so that every
    // state a crash can leave reads as "no blob" (not_found under every profile) or as the new
    // blob, never as an old sidecar beside a new payload (F3b).
    if (Status st = remove_old_payload(o->out); !st.ok()) return void(exit = fail(st.error()));
    if (Status st = meta->commit(); !st.ok()) return void(exit = fail(st.error()));
    if (Status st = blob->commit(); !st.ok()) return void(exit = fail(st.error()));
    std::cout << info->key << "\n";
  });
}

}  // namespace casblob::cli
