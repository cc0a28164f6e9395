// casblob batch: many decodes in one process for drivers (conformance/PROTOCOL.md).
// Input: JSON lines {"blob", "meta", "profile", "key", "max_size"}; output: exactly one result
// line per request, whatever the request holds (F8). The paths are the caller's: batch reads
// any regular file it is given (F27; it is a tool for drivers, not a service).
#include <iostream>

#include "commands.hpp"
#include "io_targets.hpp"
#include "options.hpp"
#include "output.hpp"

namespace casblob::cli {
namespace {

Error bad_request(const std::string& what) { return Error(Errc::usage, what); }

// A typo in a request is a usage reply, never a silently different read (F15): a key that is
// not a string would skip the key check, a max_size that is not a count would mean 4 GiB.
Result<std::optional<std::string>> optional_string(const json& req, const char* field) {
  if (!req.contains(field) || req[field].is_null()) return std::optional<std::string>();
  if (!req[field].is_string()) return bad_request(std::string("\"") + field + "\" must be a string or null");
  return std::optional<std::string>(req[field].get<std::string>());
}

// `decoder` lives for the whole batch: its codec and SHA-1 contexts serve every request
// (issue 19: set-up was most of the cost of a small blob).
json decode_one(const json& req, BlobDecoder& decoder) {
  if (!req.is_object()) return error_json(bad_request("each line must be a JSON object"));
  auto blob = optional_string(req, "blob");
  if (!blob) return error_json(blob.error());
  if (!*blob || (*blob)->empty() || **blob == "-")
    return error_json(bad_request("\"blob\" must be the path of a blob file (not - : stdin carries the requests)"));
  auto prof = optional_string(req, "profile");
  if (!prof) return error_json(prof.error());
  auto p = profile_from_name(prof->value_or("strict"));
  if (!p) return error_json(bad_request("unknown profile " + printable(**prof)));
  auto key = optional_string(req, "key");
  if (!key) return error_json(key.error());
  ReadOptions ro;
  ro.profile = *p;
  ro.key = *key;
  if (req.contains("max_size") && !req["max_size"].is_null()) {
    if (!req["max_size"].is_number_unsigned())
      return error_json(bad_request("\"max_size\" must be a non-negative integer or null"));
    ro.max_size = req["max_size"].get<std::uint64_t>();
  }
  auto meta = optional_string(req, "meta");
  if (!meta) return error_json(meta.error());
  SidecarText sidecar;
  if (*meta) {
    auto text = read_sidecar_file(**meta, true);
    if (!text) return error_json(text.error());
    if (!*text) return error_json(bad_request("\"meta\": no such file " + printable(**meta)));
    sidecar = std::move(*text);
  }
  auto src = FileSource::open(**blob);
  if (!src) return error_json(src.error());
  NullSink sink;
  auto info = decode_blob(decoder, *src, sidecar, ro, sink);
  if (!info) return error_json(info.error());
  return decode_json(*info, ro.profile, ro.key);
}

}  // namespace

void add_batch(CLI::App& app, int& exit) {
  auto* cmd = app.add_subcommand("batch", "Decode many blobs: JSON lines on stdin, one JSON result per line on stdout");
  cmd->callback([&exit] {
    std::string line;
    BlobDecoder decoder;
    while (std::getline(std::cin, line)) {
      if (line.empty()) continue;
      json req = json::parse(line, nullptr, false);
      json reply;
      try {
        reply = req.is_discarded() ? error_json(bad_request("line is not JSON")) : decode_one(req, decoder);
      } catch (const std::exception& e) {  // nlohmann type errors: still one reply for the request
        reply = error_json(bad_request(std::string("malformed request: ") + e.what()));
      }
      print_json(reply);
      // A reply that cannot be written ends the batch with io_error (F4), not a silent exit 0.
      if (Status s = flush_stdout(); !s.ok()) return void(exit = fail(s.error()));
    }
    exit = 0;
  });
}

}  // namespace casblob::cli
