#include "audit/layout.hpp"

#include "casblob/io.hpp"
#include "casblob/key.hpp"

namespace casblob::audit {
namespace {

bool is_hex_lower(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Python's tempfile.mkstemp(dir=...): "tmp" + 8 characters of "abcdefghijklmnopqrstuvwxyz0123456789_".
bool is_metaflow_temp(std::string_view n) {
  if (n.size() != 11 || n.substr(0, 3) != "tmp") return false;
  for (char c : n.substr(3))
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

bool is_shard_name(std::string_view n) noexcept { return n.size() == 2 && is_hex_lower(n[0]) && is_hex_lower(n[1]); }

unsigned shard_number(std::string_view kk) noexcept {
  auto v = [](char c) { return static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10); };
  return v(kk[0]) * 16 + v(kk[1]);
}

EntryKind classify_entry(std::string_view name, std::string_view kk, std::string_view* key) {
  constexpr std::string_view kMeta = "_meta";
  std::string_view base = name;
  const bool meta = base.size() > kMeta.size() && base.substr(base.size() - kMeta.size()) == kMeta;
  if (meta) base.remove_suffix(kMeta.size());
  if (is_valid_key(base) && base.substr(0, 2) == kk) {
    if (key) *key = base;
    return meta ? EntryKind::sidecar : EntryKind::blob;
  }
  if (is_metaflow_temp(name) || name.find(kTempMarker) != std::string_view::npos) return EntryKind::temp;
  return EntryKind::stray;
}

std::string describe_stray(std::string_view name, std::string_view kk) {
  std::string_view base = name;
  if (base.size() > 5 && base.substr(base.size() - 5) == "_meta") base.remove_suffix(5);
  if (is_valid_key(base)) return "a key in the wrong folder: Metaflow looks for it under " + std::string(base.substr(0, 2)) + "/, not " + std::string(kk) + "/";
  return "not a blob, sidecar or temporary file";
}

bool is_task_index_name(std::string_view n) noexcept {
  constexpr std::string_view kSuffix = ".data.json";
  if (n.size() <= kSuffix.size() || n.substr(n.size() - kSuffix.size()) != kSuffix) return false;
  for (char c : n.substr(0, n.size() - kSuffix.size()))
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_metadata_dir(std::string_view n) noexcept { return n == "_meta"; }

}  // namespace casblob::audit
