#include "audit/blob_check.hpp"

#include <algorithm>

#include "casblob/codecs.hpp"
#include "casblob/writer.hpp"

namespace casblob::audit {
namespace {

// The first bytes read at --level metadata: enough for the magic check and the rawTransfer
// estimate.
constexpr std::size_t kHeadBytes = 64 * 1024;
// A raw blob "compresses" when lz4 (gzip in a build without lz4) stores its first 64 KiB in
// at most this fraction; smaller blobs are left alone (frame overhead).
constexpr double kRawCompressRatio = 0.75;
constexpr std::uint64_t kRawMinBytes = 512;

Finding make(FindingId id, const BlobRef& b, const FileStat& st, std::string message, std::string detail = {}) {
  Finding f;
  f.id = id;
  f.severity = info(id).severity;
  f.flow = b.flow;
  f.key = b.key;
  f.path = b.path;
  f.message = std::move(message);
  f.detail = std::move(detail);
  f.size = st.size;
  f.mtime_ns = st.mtime_ns;
  return f;
}

std::string encoding_class(const std::optional<Encoding>& e, bool has_sidecar) {
  if (!has_sidecar) return "no sidecar";
  if (!e) return "other";
  switch (*e) {
    case Encoding::gzip_v1: return "v1";
    case Encoding::lz4_v2: return "v2";
    case Encoding::raw: return "raw";
    case Encoding::gzip_nosidecar: return "no sidecar";  // a sidecar of `null` (H-NULL-META)
    case Encoding::gzip_pre_cas: break;                  // only the pre-cas profile selects it
  }
  return "other";
}

std::string proof_note(const ProfileReads& r) {
  if (r.proven_as()) return "; repairable: the payload reads as its key as " + *r.proven_as();
  std::string tried = r.candidate_errors();
  return tried.empty() ? "" : "; no sidecar proves the key (" + tried + ")";
}

}  // namespace

BlobChecker::BlobChecker(Storage& storage, std::uint64_t max_size)
    : storage_(storage), max_size_(max_size), buf_(new std::uint8_t[kWholeBlobBytes + 1]) {}

Result<std::size_t> BlobChecker::fill(Source& src, std::span<std::uint8_t> into) {
  std::size_t n = 0;
  while (n < into.size()) {
    auto r = src.read(into.subspan(n));
    if (!r) return r.error();
    if (*r == 0) break;
    n += *r;
  }
  return n;
}

Status BlobChecker::stream_rest(Source& src, std::uint64_t& total) {
  const std::span<std::uint8_t> chunk(buf_.get(), kDefaultChunk);
  while (reads_.wants_more()) {
    auto n = src.read(chunk);
    if (!n) return n.error();
    if (*n == 0) break;
    total += *n;
    reads_.update(ByteView(buf_.get(), *n));
  }
  return {};
}

// A second pass over a blob strict did not read right, for the readings that could not be
// inferred (profile_reads.hpp). In memory for a small blob; from the store for a large one.
Status BlobChecker::replay(const BlobRef& blob, std::uint64_t head_size, bool whole) {
  reads_.start_replay();
  if (whole) {
    reads_.update(ByteView(buf_.get(), head_size));
    return {};
  }
  auto src = storage_.open(blob.path);
  if (!src) return src.error();
  for (;;) {
    auto n = (*src)->read(std::span<std::uint8_t>(buf_.get(), kDefaultChunk));
    if (!n) return n.error();
    if (*n == 0) return {};
    reads_.update(ByteView(buf_.get(), *n));
  }
}

BlobResult BlobChecker::check(const BlobRef& blob, bool decode) {
  BlobResult out;
  check(blob, decode, out);
  return out;
}

void BlobChecker::check(const BlobRef& blob, bool decode, BlobResult& out) {
  {  // a fresh result that keeps the outcomes' buffers (ProfileReads::swap_outcomes)
    BlobResult fresh;
    fresh.outcomes.swap(out.outcomes);
    out = std::move(fresh);
  }
  FileStat st{blob.info.size, blob.info.mtime_ns};
  auto unreadable = [&](const Error& e) {
    out.unreadable = true;
    out.outcomes.clear();
    out.findings.push_back(make(FindingId::unreadable, blob, st, e.message, e.label()));
  };
  // Payload and sidecar as one reading: on S3 one GET carries both (no HEAD per blob).
  auto opened = storage_.open_blob(blob.path);
  // A listing without sizes (Storage::list_types): the opening's fstat tells them; a blob that
  // cannot be opened is stat'ed for its finding.
  if (!blob.info.stat_known) {
    if (opened && opened->mtime_ns) {
      st = {opened->payload->size_hint().value_or(0), *opened->mtime_ns};
    } else if (auto info = storage_.stat(blob.path)) {
      st = {info->size, info->mtime_ns};
    }
  }
  out.stored = st.size;
  out.mtime_ns = st.mtime_ns;
  if (!opened) {
    if (opened.error().code != Errc::meta_invalid) return unreadable(opened.error());
    // Longer than any sidecar (spec 10.2): strict refuses it unread; the payload is not read.
    out.has_sidecar = true;
    out.encoding = "other";
    out.findings.push_back(make(FindingId::sidecarInvalid, blob, st, opened.error().message, "meta_invalid"));
    out.outcomes.assign(std::size(kAllProfiles), ProfileOutcome{});
    return;
  }
  out.sidecar = std::move(opened->sidecar);
  const SidecarText* sidecar = &out.sidecar;
  out.has_sidecar = sidecar->has_value();
  Source& src = *opened->payload;

  reads_.begin(*sidecar, blob.key, max_size_, decode);
  const std::size_t cap = decode ? (st.size < kWholeBlobBytes ? st.size + 1 : kDefaultChunk)
                                 : std::min<std::uint64_t>(st.size + 1, kHeadBytes);
  auto n = fill(src, std::span<std::uint8_t>(buf_.get(), std::max<std::size_t>(cap, 1)));
  if (!n) return unreadable(n.error());
  const bool whole = *n < std::max<std::size_t>(cap, 1);
  std::uint64_t total = *n;
  reads_.start(ByteView(buf_.get(), *n), whole);
  if (decode && !whole) {
    if (Status s = stream_rest(src, total); !s.ok()) return unreadable(s.error());
  }
  reads_.finish();
  if (reads_.needs_replay()) {
    if (Status s = replay(blob, *n, whole); !s.ok()) return unreadable(s.error());
    reads_.finish();
  }
  out.decoded = decode;
  out.bytes_read = total;
  if (whole) out.stored = total;  // what was read, should the file have changed since listed
  out.encoding = encoding_class(reads_.strict_encoding(), out.has_sidecar);
  out.raw = reads_.strict_encoding() == Encoding::raw;
  out.content = reads_.content_size();
  if (out.raw && !out.content && whole) out.content = total;
  // rawTransfer looks at the first bytes only: they are in the buffer when the blob was read
  // whole or at --level metadata.
  classify(blob, st, *sidecar, out, ByteView(buf_.get(), std::min<std::uint64_t>(*n, kHeadBytes)), decode);
  out.proven_as = reads_.proven_as();
  reads_.swap_outcomes(out.outcomes);
}

void BlobChecker::check_raw_transfer(const BlobRef& blob, const FileStat& st, ByteView head, BlobResult& out) {
  if (!out.raw || out.stored < kRawMinBytes || head.empty()) return;
  EncodeOptions eo;
  eo.version = lz4_available() ? 2 : 1;
  auto enc = encode_blob(head, eo);
  if (!enc) return;
  const double ratio = static_cast<double>(enc->info.stored_size) / static_cast<double>(head.size());
  if (ratio > kRawCompressRatio) return;
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.0f%%", ratio * 100);
  out.findings.push_back(make(FindingId::rawTransfer, blob, st,
                              "raw blob of " + std::to_string(out.stored) + " bytes; its first " +
                                  std::to_string(head.size()) + " bytes compress to " + pct + " with " +
                                  (eo.version == 2 ? "lz4" : "gzip")));
}

void BlobChecker::classify(const BlobRef& blob, const FileStat& st, const SidecarText& sidecar, BlobResult& out,
                           ByteView head, bool decode) {
  const ProfileReads& r = reads_;
  const bool no_sidecar = !sidecar.has_value();
  const Error* strict = r.strict_error();
  const bool strict_right = r.outcomes()[r.strict_index()].outcome == Outcome::right;
  const bool strict_known = strict || strict_right;  // at --level metadata often neither
  const bool gzip_magic = r.magic() == Container::gzip;

  if (out.stored == 0 && !strict_right) {
    out.findings.push_back(make(FindingId::zeroLength, blob, st,
                                "0-byte payload" + std::string(no_sidecar ? " without sidecar" : "") +
                                    (strict ? " (strict: " + strict->label() + ")" : ""),
                                strict ? strict->label() : ""));
  } else if (no_sidecar) {
    if (strict_right || (!strict_known && gzip_magic)) {
      out.findings.push_back(make(FindingId::sidecarMissing, blob, st,
                                  strict_right ? "no sidecar; reads right as gzip (the no-sidecar fallback)"
                                               : "no sidecar; gzip payload (not decoded at --level metadata)"));
    } else if (!gzip_magic || r.proven_as()) {
      std::string what = r.magic() == Container::lz4_frame || r.magic() == Container::lz4_skippable
                             ? "an lz4 payload" : "a payload that is not gzip";
      out.findings.push_back(make(FindingId::sidecarMissingUnreadable, blob, st,
                                  "no sidecar and " + what + ": every reader fails on it" +
                                      (decode ? proof_note(r) : std::string("; --level data tells whether it is repairable")),
                                  strict ? strict->label() : ""));
    }
  }
  if (strict && out.stored > 0 && !(no_sidecar && !out.findings.empty())) {
    const std::string label = strict->label();
    const std::string msg = "strict: " + label + ": " + strict->message;
    switch (strict->code) {
      case Errc::meta_invalid:
      case Errc::version_missing:
        out.findings.push_back(make(FindingId::sidecarInvalid, blob, st, msg + (decode ? proof_note(r) : ""), label));
        break;
      case Errc::version_unsupported:
        out.findings.push_back(make(FindingId::versionUnknown, blob, st, msg, label));
        break;
      case Errc::codec_unavailable:
        out.findings.push_back(make(FindingId::codecUnavailable, blob, st, msg, label));
        break;
      case Errc::format_mismatch:
        out.findings.push_back(make(FindingId::formatMismatch, blob, st, msg + (decode ? proof_note(r) : ""), label));
        break;
      case Errc::key_mismatch:
        out.findings.push_back(make(FindingId::keyMismatch, blob, st, msg + proof_note(r), label));
        break;
      case Errc::limit_exceeded:
        out.findings.push_back(make(FindingId::limitExceeded, blob, st, msg, label));
        break;
      case Errc::corrupt:
        if (r.strict_content_matches_key())
          out.findings.push_back(make(FindingId::badChecksumContentOk, blob, st,
                                      msg + "; the content itself hashes to the key: salvageable", label));
        else
          out.findings.push_back(make(FindingId::corrupt, blob, st, msg + (decode ? proof_note(r) : ""), label));
        break;
      default:
        out.findings.push_back(make(FindingId::unreadable, blob, st, msg, label));
        out.unreadable = true;
        break;
    }
  }
  // What the modelled deployed readers do with it.
  std::vector<std::string> wrong, unhandled;
  std::string unhandled_msg;
  for (std::size_t i = 0; i < r.outcomes().size(); ++i) {
    // Pre-CAS readers (Metaflow 2.0-2.3) predate the sidecar: they gunzip every blob, so every
    // raw and v2 blob fails or misreads under them by design (spec 7, H-PRECAS), and they read
    // every v1 blob as legacy does. One finding per raw or v2 blob would say nothing a store's
    // generation does not: the readers table (and doctor) count them per generation instead.
    if (kAllProfiles[i] == Profile::pre_cas) continue;
    const auto& o = r.outcomes()[i];
    if (o.outcome == Outcome::wrong_bytes) wrong.emplace_back(name(kAllProfiles[i]));
    if (o.outcome == Outcome::unhandled) {
      unhandled.emplace_back(name(kAllProfiles[i]));
      if (unhandled_msg.empty()) unhandled_msg = o.message;
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  if (!wrong.empty()) {
    Finding f = make(FindingId::wrongBytesUnder, blob, st, "returns wrong bytes without an error under " + join(wrong));
    f.profiles = wrong;
    out.findings.push_back(std::move(f));
  }
  if (!unhandled.empty()) {
    Finding f = make(FindingId::unhandledUnder, blob, st, "raises " + unhandled_msg + " under " + join(unhandled));
    f.profiles = unhandled;
    out.findings.push_back(std::move(f));
  }
  if (strict_right || (!decode && out.raw)) check_raw_transfer(blob, st, head, out);
}

}  // namespace casblob::audit
