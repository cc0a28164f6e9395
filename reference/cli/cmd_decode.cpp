// casblob decode: read one blob as a chosen reader profile would.
#include "commands.hpp"
#include "io_targets.hpp"
#include "options.hpp"
#include "output.hpp"

namespace casblob::cli {

void add_decode(CLI::App& app, int& exit) {
  struct Opts {
    std::string profile = "strict", in, max_size = std::to_string(kDefaultMaxSize);
    std::optional<std::string> key, meta, out;
    bool no_meta = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("decode", "Decode a blob as a reader profile would; exit code names the error");
  add_profile_option(cmd, o->profile);
  cmd->add_option("--key", o->key, "Expected key (default: IN's file name when it is a key)");
  auto* meta = cmd->add_option("--meta", o->meta, "Sidecar file (default: IN_meta when it exists)");
  cmd->add_flag("--no-meta", o->no_meta, "Read as a blob without sidecar")->excludes(meta);
  cmd->add_option("--max-size", o->max_size, "strict: maximum decoded size in bytes (default 4 GiB)");
  cmd->add_flag("--json", o->json, "Print one JSON object describing the result on stdout");
  cmd->add_option("IN", o->in, "Blob file, or - for standard input (then no sidecar unless --meta)")->required();
  cmd->add_option("OUT", o->out, "Decoded output file, or - for stdout (omit to only check)");
  cmd->callback([o, &exit] {
    auto report = [&](const Error& e) {
      if (o->json) print_json(error_json(e));
      exit = fail(e);
    };
    if (o->json && o->out == "-") return report(Error(Errc::usage, "--json and OUT - both use stdout"));
    ReadOptions ro;
    ro.profile = *profile_from_name(o->profile);
    ro.key = o->key ? o->key : key_from_path(o->in);
    auto max = parse_size(o->max_size, "--max-size");
    if (!max) return report(max.error());
    ro.max_size = *max;
    // Step 1 before anything touches a file (R-KEY-2).
    if (ro.key && !is_valid_key(*ro.key)) return report(Error(Errc::usage, "--key must be 40 lowercase hex digits"));
    auto sidecar = sidecar_for(o->in, o->meta, o->no_meta);
    if (!sidecar) return report(sidecar.error());
    auto src = open_input(o->in);
    if (!src) return report(src.error());

    Result<DecodeInfo> info = Error(Errc::unhandled, "not run");
    if (!o->out) {
      NullSink sink;
      info = decode_blob(**src, *sidecar, ro, sink);
    } else {
      auto out = OutputTarget::make(*o->out, ro.profile == Profile::strict);
      info = decode_blob(**src, *sidecar, ro, out.sink());
      if (info) {
        Status st = out.commit();
        if (!st.ok()) return report(st.error());
      }
    }
    if (!info) return report(info.error());
    if (o->json) print_json(decode_json(*info, ro.profile, ro.key));
  });
}

}  // namespace casblob::cli
