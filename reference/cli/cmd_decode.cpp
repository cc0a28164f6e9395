// casblob decode: read one blob as a chosen reader profile would.
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

// Unverified bytes must not reach stdout under strict (spec 10.6): spool to an anonymous
// temporary file, then copy out once the read has succeeded. Memory stays bounded.
class SpoolSink final : public Sink {
 public:
  SpoolSink() : f_(std::tmpfile()) {}
  ~SpoolSink() override {
    if (f_) std::fclose(f_);
  }
  Status write(ByteView d) override {
    if (!f_ || std::fwrite(d.data(), 1, d.size(), f_) != d.size())
      return Error(Errc::io_error, "cannot write the spool file");
    return {};
  }
  Status copy_to_stdout() {
    std::rewind(f_);
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f_)) > 0)
      if (std::fwrite(buf, 1, n, stdout) != n) return Error(Errc::io_error, "cannot write to stdout");
    std::fflush(stdout);
    return {};
  }

 private:
  std::FILE* f_;
};

}  // namespace

void add_decode(CLI::App& app, int& exit) {
  struct Opts {
    std::string profile = "strict", in;
    std::optional<std::string> key, meta, out;
    bool no_meta = false, json = false;
    std::uint64_t max_size = kDefaultMaxSize;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("decode", "Decode a blob as a reader profile would; exit code names the error");
  cmd->add_option("--profile", o->profile, "legacy | v2 | v2-nolz4 | strict")
      ->check(CLI::IsMember({"legacy", "v2", "v2-nolz4", "strict"}));
  cmd->add_option("--key", o->key, "Expected key (default: IN's file name when it is a key)");
  auto* meta = cmd->add_option("--meta", o->meta, "Sidecar file (default: IN_meta when it exists)");
  cmd->add_flag("--no-meta", o->no_meta, "Read as a blob without sidecar")->excludes(meta);
  cmd->add_option("--max-size", o->max_size, "strict: maximum decoded size in bytes (default 4 GiB)");
  cmd->add_flag("--json", o->json, "Print one JSON object describing the result on stdout");
  cmd->add_option("IN", o->in, "Blob file")->required();
  cmd->add_option("OUT", o->out, "Decoded output file, or - for stdout (omit to only check)");
  cmd->callback([o, &exit] {
    if (o->json && o->out == "-") return void(exit = fail(Error(Errc::usage, "--json and OUT - both use stdout")));
    if (o->key && !is_valid_key(*o->key))
      return void(exit = fail(Error(Errc::usage, "--key must be 40 lowercase hex digits")));
    ReadOptions ro;
    ro.profile = *profile_from_name(o->profile);
    ro.key = o->key ? o->key : key_from_path(o->in);
    ro.max_size = o->max_size;
    auto report = [&](const Error& e) {
      if (o->json) print_json(error_json(e));
      exit = fail(e);
    };
    auto sidecar = load_sidecar(o->in, o->meta, o->no_meta);
    if (!sidecar) return report(sidecar.error());
    auto src = FileSource::open(o->in);
    if (!src) return report(src.error());

    Result<DecodeInfo> info = Error(Errc::unhandled, "not run");
    if (!o->out) {
      NullSink sink;
      info = decode_blob(*src, *sidecar, ro, sink);
    } else if (*o->out == "-" && ro.profile == Profile::strict) {
      SpoolSink spool;
      info = decode_blob(*src, *sidecar, ro, spool);
      if (info) {
        Status st = spool.copy_to_stdout();
        if (!st.ok()) return report(st.error());
      }
    } else {
      // Other profiles model readers that hand back what they decoded as they go.
      auto out = AtomicFileSink::create(*o->out);
      if (!out) return report(out.error());
      info = decode_blob(*src, *sidecar, ro, *out);
      if (info) {
        Status st = out->commit();
        if (!st.ok()) return report(st.error());
      }
    }
    if (!info) return report(info.error());
    if (o->json) print_json(decode_json(*info, ro.profile, ro.key));
  });
}

}  // namespace casblob::cli
