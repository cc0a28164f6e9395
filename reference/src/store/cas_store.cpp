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

// Forwards to the pending payload until a write fails, then only counts: the encoder still
// reads the whole input and so learns the key, and a put of content that is already stored
// succeeds even on a full disk (F1, F24) instead of failing before it could know.
class DeferredErrorSink final : public Sink {
 public:
  explicit DeferredErrorSink(Sink& next) : next_(next) {}
  Status write(ByteView data) override {
    if (error_.ok()) error_ = next_.write(data);
    return {};
  }
  const Status& error() const { return error_; }

 private:
  Sink& next_;
  Status error_;
};

}  // namespace

Result<PutInfo> CasStore::put(Source& content, const EncodeOptions& opts, ParallelEncoder* parallel) {
  auto encode = [&](Sink& out) { return parallel ? parallel->encode(content, opts, out) : encode_blob(content, opts, out); };
  // A store that cannot take the payload (read-only, full) may still hold this content: the
  // encode runs to its end either way, learns the key, and the error counts only if the blob
  // is not already there (F24).
  auto pending = storage_->begin_blob(cas_prefix(flow_));
  NullSink discard;
  DeferredErrorSink guarded(pending ? static_cast<Sink&>(**pending) : discard);
  auto info = encode(guarded);
  if (!info) return info.error();
  const Status write_error = pending ? guarded.error() : Status(pending.error());
  const std::string path = blob_path(info->key);
  if (write_error.ok()) {
    // Payload and sidecar are placed together: never a payload without its sidecar (R-META-1,
    // R-NS-1).
    auto placed = (*pending)->commit(path, info->meta, PutMode::if_absent);
    if (!placed) return placed.error();
    if (placed->created) return PutInfo{*info, PutInfo::Outcome::stored};
  }

  // A payload may be there. With its sidecar it is stored (Metaflow skips it; a damaged one is
  // the audit's and repair's business, not put's). Without, it is what an interrupted put
  // leaves (R-KEY-8): heal it with the sidecar it proves, or replace it.
  auto there = storage_->stat(path);
  if (!there) {
    if (there.error().code != Errc::not_found || write_error.ok()) return there.error();
    return write_error.error();  // nothing stored, and this put could not store it
  }
  auto sidecar = storage_->read_sidecar(path);
  if (!sidecar && sidecar.error().code != Errc::meta_invalid) return sidecar.error();
  if (!sidecar || *sidecar) return PutInfo{*info, PutInfo::Outcome::already_stored};
  auto proven = sidecar_proven_by_key(*storage_, path, info->key, opts.version);
  if (!proven) return proven.error();
  if (*proven) {
    if (pending) pending->reset();  // the staged copy is not needed: free its space first
    CASBLOB_TRY(storage_->write_sidecar(path, **proven));
    return PutInfo{*info, PutInfo::Outcome::sidecar_healed};
  }
  if (!write_error.ok()) return write_error.error();
  auto placed = (*pending)->commit(path, info->meta, PutMode::replace);
  if (!placed) return placed.error();
  return PutInfo{*info, PutInfo::Outcome::payload_replaced};
}

Result<DecodeInfo> CasStore::get(std::string_view key, const ReadOptions& opts, Sink& out) {
  if (!is_valid_key(key)) return Error(Errc::usage, "key must be 40 lowercase hex digits");  // R-KEY-2 first
  auto blob = storage_->open_blob(blob_path(key));
  if (!blob) return blob.error();
  ReadOptions o = opts;
  o.key = std::string(key);
  return decode_blob(*blob->payload, blob->sidecar, o, out);
}

}  // namespace casblob
