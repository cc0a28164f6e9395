// casblob inspect: container, members/frames, header fields, sizes, trailing bytes, sidecar.
#include <iostream>

#include "commands.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

void print_text(const std::string& path, const json& j) {
  std::cout << path << ": " << j["container"].get<std::string>() << ", " << j["size"] << " bytes\n";
  if (j.contains("gzip")) {
    for (const auto& m : j["gzip"]["members"]) {
      std::cout << "  gzip member @" << m["offset"] << ": flags=0x" << std::hex << m["flags"].get<int>() << std::dec
                << " mtime=" << m["mtime"] << " xfl=" << m["xfl"] << " os=" << m["os"];
      if (!m["file_name"].is_null()) std::cout << " name=" << m["file_name"].get<std::string>();
      if (!m["comment"].is_null()) std::cout << " comment=" << m["comment"].get<std::string>();
      if (!m["extra_length"].is_null()) std::cout << " extra=" << m["extra_length"] << "B";
      if (!m["header_crc"].is_null()) std::cout << " hcrc=" << m["header_crc"];
      std::cout << " deflate=" << m["compressed_size"] << "B -> " << m["decoded_size"] << "B crc32=" << m["crc32"]
                << " isize=" << m["isize"] << "\n";
    }
    std::cout << "  padding " << j["gzip"]["padding_bytes"] << " B, trailing " << j["gzip"]["trailing_bytes"] << " B\n";
  }
  if (j.contains("lz4")) {
    for (const auto& f : j["lz4"]["frames"]) {
      if (f["skippable"].get<bool>()) {
        std::cout << "  skippable frame @" << f["offset"] << ": " << f["size"] << " B\n";
        continue;
      }
      std::cout << "  lz4 frame @" << f["offset"] << ": blocks " << (f["independent_blocks"].get<bool>() ? "independent" : "linked")
                << ", max " << f["block_max_size"] << " B, block checksum " << (f["block_checksum"].get<bool>() ? "yes" : "no")
                << ", content checksum " << (f["content_checksum"].get<bool>() ? "yes" : "no") << ", content size "
                << (f["content_size"].is_null() ? std::string("absent") : f["content_size"].dump()) << ", "
                << f["block_count"] << " blocks -> " << f["decoded_size"] << " B\n";
    }
    std::cout << "  trailing " << j["lz4"]["trailing_bytes"] << " B\n";
  }
  const auto& d = j["decode"];
  if (d["ok"].get<bool>())
    std::cout << "  decode: ok, sha1 " << d["sha1"].get<std::string>() << "\n";
  else
    std::cout << "  decode: " << d["error"].get<std::string>()
              << (d["detail"].is_null() ? "" : "/" + d["detail"].get<std::string>()) << ": "
              << d["message"].get<std::string>() << "\n";
  const auto& s = j["sidecar"];
  if (!s["present"].get<bool>()) {
    std::cout << "  sidecar: none (read as gzip by Metaflow)\n";
  } else {
    std::cout << "  sidecar: " << (s.contains("text") ? s["text"].get<std::string>() : std::string("<not UTF-8>"));
    if (s["strict"]["ok"].get<bool>())
      std::cout << " (strict: raw=" << s["strict"]["raw"] << ", version " << s["strict"]["version"] << ")\n";
    else
      std::cout << " (strict: " << s["strict"]["error"].get<std::string>() << ": " << s["strict"]["message"].get<std::string>() << ")\n";
  }
}

}  // namespace

void add_inspect(CLI::App& app, int& exit) {
  struct Opts {
    std::string in;
    std::optional<std::string> meta;
    bool no_meta = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("inspect", "Describe a blob: container, gzip members / lz4 frames, sizes, sidecar");
  auto* meta = cmd->add_option("--meta", o->meta, "Sidecar file (default: IN_meta when it exists)");
  cmd->add_flag("--no-meta", o->no_meta, "Ignore any sidecar")->excludes(meta);
  cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
  cmd->add_option("IN", o->in, "Blob file")->required();
  cmd->callback([o, &exit] {
    auto src = FileSource::open(o->in);
    if (!src) return void(exit = fail(src.error()));
    auto rep = inspect_blob(*src);
    if (!rep) return void(exit = fail(rep.error()));
    auto sidecar = load_sidecar(o->in, o->meta, o->no_meta);
    if (!sidecar) return void(exit = fail(sidecar.error()));
    json j = inspect_json(*rep);
    j["sidecar"] = sidecar_json(*sidecar);
    if (auto k = key_from_path(o->in)) j["key"] = *k;
    if (o->json)
      print_json(j);
    else
      print_text(o->in, j);
    exit = 0;  // inspect describes; a corrupt payload is a finding, not a failure
  });
}

}  // namespace casblob::cli
