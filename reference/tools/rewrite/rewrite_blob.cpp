#include "rewrite/rewrite_blob.hpp"

#include <algorithm>

#include "casblob/experimental/container.hpp"
#include "rewrite/decoding_source.hpp"

namespace casblob::rewrite {

std::string_view name(BlobOutcome o) noexcept {
  switch (o) {
    case BlobOutcome::rewritten: return "rewritten";
    case BlobOutcome::in_target: return "in_target";
    case BlobOutcome::skipped_raw: return "skipped_raw";
    case BlobOutcome::damaged: return "damaged";
    case BlobOutcome::vanished: return "vanished";
    case BlobOutcome::failed: return "failed";
  }
  return "?";
}

namespace {

std::size_t strict_index() {
  for (std::size_t i = 0; i < std::size(kAllProfiles); ++i)
    if (kAllProfiles[i] == Profile::strict) return i;
  return 0;
}

// The audit's space classes ("v1", "v2", "raw", "no sidecar") of a blob strict read right.
std::optional<Form> form_of_class(const std::string& encoding) {
  if (encoding == "no sidecar") return Form::nosidecar;
  return form_from_name(encoding);
}

bool same_container(Form a, Form b) {
  auto c = [](Form f) { return f == Form::nosidecar ? Form::v1 : f; };
  return c(a) == c(b);
}

std::string parent_of(const std::string& path) { return path.substr(0, path.find_last_of('/')); }

// Whether the lz4 frame at the start of `path` declares a content checksum (FLG bit 2).
Result<bool> has_content_checksum(Storage& storage, const std::string& path) {
  auto src = storage.open(path);
  if (!src) return src.error();
  std::uint8_t head[5] = {};
  std::size_t got = 0;
  while (got < sizeof head) {
    auto n = (*src)->read(std::span<std::uint8_t>(head + got, sizeof head - got));
    if (!n) return n.error();
    if (*n == 0) break;
    got += *n;
  }
  return got == sizeof head && detect_container(ByteView(head, 4)) == Container::lz4_frame && (head[4] & 0x04) != 0;
}

}  // namespace

BlobRewriter::BlobRewriter(Storage& storage, std::uint64_t max_size) : storage_(storage), checker_(storage, max_size) {}

BlobRewrite BlobRewriter::rewrite(const audit::BlobRef& blob, const RewritePolicy& policy, bool apply) {
  BlobRewrite out;
  audit::BlobResult r = checker_.check(blob, true);
  out.stored_before = out.stored_after = r.stored;
  out.content = r.content;
  for (const auto& f : r.findings) out.findings.emplace_back(audit::name(f.id));
  if (r.unreadable) {
    auto st = storage_.stat(blob.path);
    out.outcome = !st && st.error().code == Errc::not_found ? BlobOutcome::vanished : BlobOutcome::failed;
    for (const auto& f : r.findings)
      if (f.id == audit::FindingId::unreadable) out.message = f.message;
    return out;
  }
  const audit::ProfileOutcome& strict = r.outcomes[strict_index()];
  const bool strict_right = strict.outcome == audit::Outcome::right;
  bool salvage = false;
  SidecarText read_as = r.sidecar;
  Form from = Form::v1;
  if (strict_right) {
    from = form_of_class(r.encoding).value_or(Form::v1);
  } else if (r.proven_as && (policy.any_proof || is_fence(r.sidecar) || strict.error == "format_mismatch")) {
    // R-FWD-5: the payload read as its key under the sidecar its magic suggests.
    from = *form_from_name(*r.proven_as);
    read_as = canonical_sidecar(from);
    out.resumed = is_fence(r.sidecar) || strict.error == "format_mismatch";
  } else if (policy.salvage && std::count(out.findings.begin(), out.findings.end(), "badChecksumContentOk")) {
    from = form_of_class(r.encoding).value_or(Form::v1);
    salvage = true;
  } else {
    out.outcome = BlobOutcome::damaged;
    out.message = "strict: " + strict.error + (strict.message.empty() ? "" : ": " + strict.message) +
                  "; nothing proves its content";
    return out;
  }
  out.from = from;

  Target target = policy.keep_form ? Target{from == Form::nosidecar ? Form::v1 : from} : policy.target;
  if (from == Form::raw && target.form != Form::raw && !policy.include_raw) {
    if (!out.resumed) {
      out.outcome = BlobOutcome::skipped_raw;
      return out;
    }
    target = Target{Form::raw};  // finish an interrupted rewrite where it came from: raw stays raw
  }
  bool payload_changes = !same_container(from, target.form) || policy.reencode || salvage;
  if (!payload_changes && target.form == Form::v2 && target.content_checksum) {
    auto cc = has_content_checksum(storage_, blob.path);
    if (!cc) {
      out.outcome = cc.error().code == Errc::not_found ? BlobOutcome::vanished : BlobOutcome::failed;
      out.message = cc.error().message;
      return out;
    }
    payload_changes = !*cc;
  }
  // A sidecar strict reads right as the target's form stays (extra members, raw of version 2);
  // no sidecar on a gzip payload is v1 for migrate (every reader reads it so).
  const bool nosidecar_ok = from == Form::nosidecar && target.form == Form::v1 && policy.nosidecar_is_v1;
  // A salvaged blob keeps a sidecar that already is its form's canonical one.
  const bool sidecar_changes = salvage ? r.sidecar != canonical_sidecar(target.form)
                                       : !strict_right || (from != target.form && !nosidecar_ok);
  out.steps = plan_steps(payload_changes, sidecar_changes, from == Form::raw || target.form == Form::raw);
  if (out.steps.empty()) {
    out.outcome = BlobOutcome::in_target;
    return out;
  }
  out.outcome = BlobOutcome::rewritten;
  if (!apply) return out;
  RewritePolicy effective = policy;
  effective.target = target;
  effective.salvage = salvage;
  if (Status s = perform(blob, effective, from, read_as, out);
      !s.ok()) {
    out.outcome = s.error().code == Errc::not_found ? BlobOutcome::vanished : BlobOutcome::failed;
    out.message = s.error().message;
  }
  return out;
}

Status BlobRewriter::perform(const audit::BlobRef& blob, const RewritePolicy& policy, Form from,
                             const SidecarText& read_as, BlobRewrite& out) {
  const SidecarText want = canonical_sidecar(policy.target.form);
  std::unique_ptr<PendingBlob> pending;
  if (std::find(out.steps.begin(), out.steps.end(), Step::payload) != out.steps.end()) {
    // The new payload in full, proven by the key in its new form, before anything is switched.
    auto p = storage_.begin_blob(parent_of(blob.path));
    if (!p) return p.error();
    auto src = storage_.open(blob.path);
    if (!src) return src.error();
    std::optional<std::uint64_t> content = out.content;
    if (!content && from == Form::raw) content = out.stored_before;
    DecodingSource decoded(std::move(*src), read_as, blob.key, policy.max_size, content, policy.salvage);
    NullSink discard;
    ReadOptions ro;
    ro.key = blob.key;
    ro.max_size = policy.max_size;
    BlobDecoder verifier(want, ro, discard);
    TeeSink tee(**p, verifier);
    auto enc = encode_blob(decoded, encode_options(policy.target), tee);
    if (!enc) return enc.error();
    auto verdict = verifier.finish();
    if (!verdict) return Error{verdict.error().code, "the new payload does not read as its key: " + verdict.error().message};
    out.stored_after = enc->stored_size;
    pending = std::move(*p);
  }
  for (std::size_t i = 0; i < out.steps.size(); ++i) {
    switch (out.steps[i]) {
      case Step::fence: CASBLOB_TRY(storage_.write_sidecar(blob.path, std::string(kFenceSidecar))); break;
      case Step::payload: {
        // Payload then sidecar is one commit: local, payload first (R-KEY-4); S3, one PUT.
        const bool with_sidecar = i + 1 < out.steps.size() && out.steps[i + 1] == Step::sidecar;
        auto put = pending->commit(blob.path, with_sidecar ? want : std::nullopt, PutMode::replace);
        if (!put) return put.error();
        if (with_sidecar) ++i;
        break;
      }
      case Step::sidecar: CASBLOB_TRY(storage_.write_sidecar(blob.path, *want)); break;
    }
  }
  return {};
}

}  // namespace casblob::rewrite
