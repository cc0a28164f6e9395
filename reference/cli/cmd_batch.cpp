// casblob batch: many decodes in one process for drivers (conformance/PROTOCOL.md).
// Input: JSON lines {"blob", "meta", "profile", "key", "max_size"}; output: one result line each.
#include <iostream>

#include "commands.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

json decode_one(const json& req) {
  if (!req.is_object() || !req.contains("blob") || !req["blob"].is_string())
    return error_json(Error(Errc::usage, "each line must be an object with a \"blob\" path"));
  ReadOptions ro;
  std::string prof = req.value("profile", std::string("strict"));
  auto p = profile_from_name(prof);
  if (!p) return error_json(Error(Errc::usage, "unknown profile " + prof));
  ro.profile = *p;
  if (req.contains("key") && req["key"].is_string()) ro.key = req["key"].get<std::string>();
  if (req.contains("max_size") && req["max_size"].is_number_unsigned()) ro.max_size = req["max_size"].get<std::uint64_t>();
  std::string blob = req["blob"].get<std::string>();
  SidecarText sidecar;
  if (req.contains("meta") && req["meta"].is_string()) {
    auto bytes = read_file(req["meta"].get<std::string>());
    if (!bytes) return error_json(bytes.error());
    sidecar = std::string(bytes->begin(), bytes->end());
  }
  auto src = FileSource::open(blob);
  if (!src) return error_json(src.error());
  NullSink sink;
  auto info = decode_blob(*src, sidecar, ro, sink);
  if (!info) return error_json(info.error());
  return decode_json(*info, ro.profile, ro.key);
}

}  // namespace

void add_batch(CLI::App& app, int& exit) {
  auto* cmd = app.add_subcommand("batch", "Decode many blobs: JSON lines on stdin, one JSON result per line on stdout");
  cmd->callback([&exit] {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.empty()) continue;
      json req = json::parse(line, nullptr, false);
      print_json(req.is_discarded() ? error_json(Error(Errc::usage, "line is not JSON")) : decode_one(req));
    }
    exit = 0;
  });
}

}  // namespace casblob::cli
