#include "output.hpp"

#include <filesystem>
#include <iostream>

#include "io_targets.hpp"

namespace casblob::cli {

int fail(const Error& e) {
  std::cerr << "casblob: " << e.label() << ": " << e.message << "\n";
  return exit_code(e.code);
}

json error_json(const Error& e) {
  return {{"ok", false},
          {"error", std::string(name(e.code))},
          {"detail", e.detail == Detail::none ? json(nullptr) : json(std::string(name(e.detail)))},
          {"message", e.message}};
}

json decode_json(const DecodeInfo& info, Profile profile, const std::optional<std::string>& key) {
  return {{"ok", true},
          {"profile", std::string(name(profile))},
          {"encoding", std::string(name(info.encoding))},
          {"stored_size", info.stored_size},
          {"decoded_size", info.decoded_size},
          {"sha1", info.sha1.str()},
          {"key", key ? json(*key) : json(nullptr)},
          {"key_checked", info.key_checked},
          {"notes", notes(info)}};
}

namespace {

json opt(const auto& v) { return v ? json(*v) : json(nullptr); }

json gzip_json(const GzipReport& r) {
  json members = json::array();
  for (const auto& m : r.members) {
    members.push_back({{"offset", m.offset},
                       {"method", m.method},
                       {"flags", m.flags},
                       {"mtime", m.mtime},
                       {"xfl", m.xfl},
                       {"os", m.os},
                       {"file_name", opt(m.file_name)},
                       {"comment", opt(m.comment)},
                       {"extra_length", opt(m.extra_length)},
                       {"header_crc", opt(m.header_crc)},
                       {"header_size", m.header_size},
                       {"compressed_size", m.compressed_size},
                       {"decoded_size", m.decoded_size},
                       {"crc32", m.crc32},
                       {"isize", m.isize}});
  }
  return {{"members", members},
          {"member_count", r.member_count},
          {"padding_bytes", r.padding_bytes},
          {"trailing_bytes", r.trailing_bytes},
          {"decoded_size", r.decoded_size}};
}

json lz4_json(const Lz4Report& r) {
  json frames = json::array();
  for (const auto& f : r.frames) {
    if (f.skippable) {
      frames.push_back({{"offset", f.offset}, {"skippable", true}, {"magic", f.skippable_magic}, {"size", f.skippable_size}});
      continue;
    }
    json blocks = json::array();
    for (const auto& b : f.blocks)
      blocks.push_back({{"offset", b.offset}, {"stored_size", b.stored_size}, {"uncompressed", b.uncompressed},
                        {"checksum", opt(b.checksum)}});
    frames.push_back({{"offset", f.offset},
                      {"skippable", false},
                      {"flg", f.flg},
                      {"bd", f.bd},
                      {"version", f.version},
                      {"independent_blocks", f.independent_blocks},
                      {"block_checksum", f.block_checksum},
                      {"content_checksum", f.content_checksum},
                      {"content_size", opt(f.content_size)},
                      {"dict_id", opt(f.dict_id)},
                      {"block_max_size", f.block_max_size},
                      {"header_checksum", f.header_checksum},
                      {"block_count", f.block_count},
                      {"blocks", blocks},
                      {"content_checksum_value", opt(f.content_checksum_value)},
                      {"decoded_size", f.decoded_size}});
  }
  return {{"frames", frames},
          {"frame_count", r.frame_count},
          {"trailing_bytes", r.trailing_bytes},
          {"decoded_size", r.decoded_size}};
}

}  // namespace

json inspect_json(const InspectReport& rep) {
  json j = {{"container", std::string(name(rep.container))}, {"size", rep.size}};
  j["decode"] = rep.decode_status.ok() ? json{{"ok", true}, {"sha1", rep.decoded_sha1}}
                                       : error_json(rep.decode_status.error());
  if (rep.gzip) j["gzip"] = gzip_json(*rep.gzip);
  if (rep.lz4) j["lz4"] = lz4_json(*rep.lz4);
  return j;
}

json sidecar_json(const SidecarText& sidecar) {
  if (!sidecar) return {{"present", false}};
  MetaDoc doc = parse_meta(*sidecar);
  json j = {{"present", true},
            {"bytes", sidecar->size()},
            {"utf8_valid", doc.utf8_valid},
            {"python_json_ok", doc.python_json_ok},
            {"strict_json_ok", doc.strict_json_ok},
            {"top_level", std::string(name(doc.top.type))},
            {"duplicate_keys", doc.has_duplicate_keys}};
  if (doc.utf8_valid) j["text"] = *sidecar;
  json fields = json::array();
  for (const auto& f : doc.fields) {
    json v = {{"key", f.key}, {"type", std::string(name(f.value.type))}};
    fields.push_back(v);
  }
  j["fields"] = fields;
  auto strict = validate_meta_strict(doc);
  j["strict"] = strict ? json{{"ok", true}, {"raw", strict->raw}, {"version", strict->version}}
                       : error_json(strict.error());
  return j;
}

Status write_report_file(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return {};
  }
  // A file atomically; a device or FIFO (/dev/null) written through, never replaced.
  auto out = OutputTarget::make(path, false, Durability::process);
  CASBLOB_TRY(out.sink().write(as_bytes(text)));
  return out.commit();
}

void print_json(const json& j) { std::cout << j.dump(-1, ' ', false, json::error_handler_t::replace) << "\n" << std::flush; }

Result<SidecarText> sidecar_for(const std::string& blob, const std::optional<std::string>& meta_file, bool no_meta) {
  if (no_meta) return SidecarText{};
  if (meta_file) {
    auto text = read_sidecar_file(*meta_file, true);
    if (text && !*text) return Error(Errc::usage, "--meta " + *meta_file + ": no such file");
    return text;
  }
  if (blob == "-") return SidecarText{};
  return read_sidecar_file(blob + "_meta", false);
}

std::optional<std::string> key_from_path(const std::string& path) {
  std::string base = std::filesystem::path(path).filename().string();
  if (is_valid_key(base)) return base;
  return std::nullopt;
}

}  // namespace casblob::cli

namespace casblob::cli {

std::string printable(const std::string& s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    // Printable ASCII as is; well-formed UTF-8 sequences of printable code points as is.
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len == 1 ? (c >= 0x20 && c != 0x7f && c != '\\') : len > 1 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) are terminal controls too.
    if (ok && len == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) ok = false;
    if (ok) {
      out.append(s, i, len);
      i += len - 1;
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace casblob::cli
