// casblob inspect: container, members/frames, header fields, sizes, trailing bytes, sidecar.
#include <iostream>

#include "commands.hpp"
#include "io_targets.hpp"
#include "options.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

// Every string that came from the blob or its sidecar goes through printable() (F16).
std::string str(const json& v) { return printable(v.get<std::string>()); }

void print_text(const std::string& path, const json& j) {
  std::cout << printable(path) << ": " << str(j["container"]) << ", " << j["size"] << " bytes\n";
  if (j.contains("gzip")) {
    const auto& g = j["gzip"];
    for (const auto& m : g["members"]) {
      std::cout << "  gzip member @" << m["offset"] << ": flags=0x" << std::hex << m["flags"].get<int>() << std::dec
                << " mtime=" << m["mtime"] << " xfl=" << m["xfl"] << " os=" << m["os"];
      if (!m["file_name"].is_null()) std::cout << " name=" << str(m["file_name"]);
      if (!m["comment"].is_null()) std::cout << " comment=" << str(m["comment"]);
      if (!m["extra_length"].is_null()) std::cout << " extra=" << m["extra_length"] << "B";
      if (!m["header_crc"].is_null()) std::cout << " hcrc=" << m["header_crc"];
      std::cout << " deflate=" << m["compressed_size"] << "B -> " << m["decoded_size"] << "B crc32=" << m["crc32"]
                << " isize=" << m["isize"] << "\n";
    }
    // The report keeps the first members only (bounded memory): say how many it left out.
    auto listed = g["members"].size(), total = g["member_count"].get<std::uint64_t>();
    if (total > listed) std::cout << "  ... " << total - listed << " more members not listed\n";
    std::cout << "  padding " << g["padding_bytes"] << " B, trailing " << g["trailing_bytes"] << " B\n";
  }
  if (j.contains("lz4")) {
    const auto& l = j["lz4"];
    for (const auto& f : l["frames"]) {
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
    auto listed = l["frames"].size(), total = l["frame_count"].get<std::uint64_t>();
    if (total > listed) std::cout << "  ... " << total - listed << " more frames not listed\n";
    std::cout << "  trailing " << l["trailing_bytes"] << " B\n";
  }
  const auto& d = j["decode"];
  if (d["ok"].get<bool>())
    std::cout << "  decode: ok, sha1 " << str(d["sha1"]) << "\n";
  else
    std::cout << "  decode: " << str(d["error"]) << (d["detail"].is_null() ? "" : "/" + str(d["detail"])) << ": "
              << str(d["message"]) << "\n";
  const auto& s = j["sidecar"];
  if (!s["present"].get<bool>()) {
    std::cout << "  sidecar: none (read as gzip by Metaflow)\n";
  } else {
    std::cout << "  sidecar: " << (s.contains("text") ? str(s["text"]) : std::string("<not UTF-8>"));
    if (s["strict"]["ok"].get<bool>())
      std::cout << " (strict: raw=" << s["strict"]["raw"] << ", version " << s["strict"]["version"] << ")\n";
    else
      std::cout << " (strict: " << str(s["strict"]["error"]) << ": " << str(s["strict"]["message"]) << ")\n";
  }
}

}  // namespace

void add_inspect(CLI::App& app, int& exit) {
  struct Opts {
    std::string in, max_size = std::to_string(kDefaultMaxSize);
    std::optional<std::string> meta;
    bool no_meta = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("inspect", "Describe a blob: container, gzip members / lz4 frames, sizes, sidecar");
  auto* meta = cmd->add_option("--meta", o->meta, "Sidecar file (default: IN_meta when it exists)");
  cmd->add_flag("--no-meta", o->no_meta, "Ignore any sidecar")->excludes(meta);
  cmd->add_option("--max-size", o->max_size, "Stop the checked decode after this many decoded bytes (default 4 GiB)");
  cmd->add_flag("--json", o->json, "Print one JSON object on stdout");
  cmd->add_option("IN", o->in, "Blob file, or - for standard input")->required();
  cmd->callback([o, &exit] {
    auto max = parse_size(o->max_size, "--max-size");
    if (!max) return void(exit = fail(max.error()));
    auto sidecar = sidecar_for(o->in, o->meta, o->no_meta);
    if (!sidecar) return void(exit = fail(sidecar.error()));
    auto src = open_input(o->in);
    if (!src) return void(exit = fail(src.error()));
    auto rep = inspect_blob(**src, InspectOptions{*max});
    if (!rep) return void(exit = fail(rep.error()));
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
