// How the CLI reports: one line on stderr per error, one JSON object on stdout with --json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "casblob/casblob.hpp"
#include "casblob/experimental/inspect.hpp"

namespace casblob::cli {

using nlohmann::json;

// Prints "casblob: <name>[/<detail>]: <message>" and returns the documented exit code.
int fail(const Error& e);

json error_json(const Error& e);  // {"ok": false, "error", "detail", "message"}
json decode_json(const DecodeInfo& info, Profile profile, const std::optional<std::string>& key);
json inspect_json(const InspectReport& rep);
json sidecar_json(const SidecarText& sidecar);

// Exactly one JSON document per line on stdout.
void print_json(const json& j);

// The sidecar of a blob file: `--meta FILE` (must exist: usage otherwise), none (`--no-meta`,
// or a blob read from standard input), or "<blob>_meta" when it exists, as Metaflow's local
// datastore keeps it (a symbolic link there is refused, spec 10.3).
Result<SidecarText> sidecar_for(const std::string& blob, const std::optional<std::string>& meta_file, bool no_meta);

// The key implied by a blob's file name, when that name is a key (<kk>/<key> layout).
std::optional<std::string> key_from_path(const std::string& path);

// A string for a terminal: control characters and invalid UTF-8 shown as \xNN (F16), so that
// bytes from a payload or sidecar can never drive the terminal.
std::string printable(const std::string& s);

}  // namespace casblob::cli
