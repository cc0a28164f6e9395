// One flow's content-addressed store (Metaflow's ContentAddressedStore.save_blobs/load_blobs)
// over a Storage, with the put that heals what an interrupted put leaves (R-KEY-4).
#include "casblob/experimental/container.hpp"
#include "casblob/experimental/parallel_encoder.hpp"
#include "casblob/meta.hpp"
#include "casblob/store.hpp"

namespace casblob {

std::string_view name(PutInfo::Outcome o) noexcept {
  switch (o) {
    case PutInfo::Outcome::stored: return "stored";
    case PutInfo::Outcome::already_stored: return "already_stored";
    case PutInfo::Outcome::sidecar_healed: return "sidecar_healed";
    case PutInfo::Outcome::payload_replaced: return "payload_replaced";
  }
  return "unknown";
}

Result<CasStore> CasStore::open(Storage& storage, std::string flow) {
  CASBLOB_TRY(check_flow_name(flow));
  return CasStore(storage, std::move(flow));
}

std::string CasStore::blob_path(std::string_view key) const { return object_path(cas_prefix(flow_), key); }

namespace {

// The sidecar that makes `path` read as `key` under strict, judged by the payload's own magic
// (the recovery rule of spec 11.2): gzip -> v1, lz4 frame -> v2, otherwise raw if the payload
// itself hashes to the key. nullopt when no reading proves the key.
Result<std::optional<std::string>> sidecar_proven_by_key(Storage& storage, const std::string& path,
                                                         const std::string& key, int raw_version) {
  auto head_src = storage.open(path);
  if (!head_src) return head_src.error();
  std::uint8_t head[kContainerProbeSize];
  std::size_t got = 0;
  while (got < sizeof head) {
    auto n = (*head_src)->read(std::span(head + got, sizeof head - got));
    if (!n) return n.error();
    if (*n == 0) break;
    got += *n;
  }
  std::vector<std::string> candidates;
  switch (detect_container(ByteView(head, got))) {
    case Container::gzip: candidates.push_back(emit_meta(false, 1)); break;
    case Container::lz4_frame:
    case Container::lz4_skippable:
      if (lz4_available()) candidates.push_back(emit_meta(false, 2));
      break;
    default: break;
  }
  candidates.push_back(emit_meta(true, raw_version));
  for (const auto& meta : candidates) {
    auto src = storage.open(path);
    if (!src) return src.error();
    ReadOptions ro;
    ro.key = key;
    NullSink discard;
    auto info = decode_blob(**src, meta, ro, discard);
    if (info) return std::optional<std::string>(meta);
    if (info.error().code == Errc::io_error) return info.error();
  }
  return std::optional<std::string>();
}

}  // namespace

Result<PutInfo> CasStore::put(Source& content, const EncodeOptions& opts, ParallelEncoder* parallel) {
  auto encode = [&](Sink& out) { return parallel ? parallel->encode(content, opts, out) : encode_blob(content, opts, out); };
  auto pending = storage_->begin_blob(cas_prefix(flow_));
  if (!pending) {
    // A store we cannot write to may still hold this content (F24): learn the key without
    // writing anything and succeed if the blob is complete there.
    NullSink discard;
    auto info = encode(discard);
    if (!info) return info.error();
    auto sidecar = storage_->read_sidecar(blob_path(info->key));
    if (sidecar && *sidecar && storage_->stat(blob_path(info->key))) return PutInfo{*info, PutInfo::Outcome::already_stored};
    return pending.error();
  }
  auto info = encode(**pending);
  if (!info) return info.error();
  const std::string path = blob_path(info->key);
  auto placed = (*pending)->commit(path, info->meta, PutMode::if_absent);
  if (!placed) return placed.error();
  if (placed->created) return PutInfo{*info, PutInfo::Outcome::stored};

  // A payload is there. With its sidecar it is stored (Metaflow skips it; a damaged one is the
  // audit's and repair's business, not put's). Without, it is what an interrupted put leaves.
  auto sidecar = storage_->read_sidecar(path);
  if (!sidecar && sidecar.error().code != Errc::meta_invalid) return sidecar.error();
  if (!sidecar || *sidecar) return PutInfo{*info, PutInfo::Outcome::already_stored};  // present, even if invalid
  auto proven = sidecar_proven_by_key(*storage_, path, info->key, opts.version);
  if (!proven) return proven.error();
  if (*proven) {
    CASBLOB_TRY(storage_->write_sidecar(path, **proven));
    return PutInfo{*info, PutInfo::Outcome::sidecar_healed};
  }
  placed = (*pending)->commit(path, info->meta, PutMode::replace);
  if (!placed) return placed.error();
  return PutInfo{*info, PutInfo::Outcome::payload_replaced};
}

Result<DecodeInfo> CasStore::get(std::string_view key, const ReadOptions& opts, Sink& out) {
  if (!is_valid_key(key)) return Error(Errc::usage, "key must be 40 lowercase hex digits");  // R-KEY-2 first
  const std::string path = blob_path(key);
  auto src = storage_->open(path);
  if (!src) return src.error();
  auto sidecar = storage_->read_sidecar(path);
  if (!sidecar) return sidecar.error();
  ReadOptions o = opts;
  o.key = std::string(key);
  return decode_blob(**src, *sidecar, o, out);
}

}  // namespace casblob
