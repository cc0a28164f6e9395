// How the CLI reports: one line on stderr per error, one JSON object on stdout with --json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "casblob/casblob.hpp"

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

// Sidecar for a blob path: explicit file, none, or "<blob>_meta" if it exists (Metaflow).
Result<SidecarText> load_sidecar(const std::string& blob, const std::optional<std::string>& meta_file, bool no_meta);

// The key implied by a blob's file name, when that name is a key (<kk>/<key> layout).
std::optional<std::string> key_from_path(const std::string& path);

}  // namespace casblob::cli
