#include "audit/profile_reads.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include "casblob/codecs.hpp"
#include "casblob/meta.hpp"

namespace casblob::audit {
namespace {

enum class Family { gzip, lz4, raw };

Family family(Encoding e) {
  switch (e) {
    case Encoding::gzip_v1:
    case Encoding::gzip_nosidecar:
    case Encoding::gzip_pre_cas: return Family::gzip;  // pre-CAS gunzips whatever the sidecar says
    case Encoding::lz4_v2: return Family::lz4;
    case Encoding::raw: return Family::raw;
  }
  return Family::raw;  // not reached: every Encoding is named above (-Wswitch checks it)
}

// `o` as a fresh outcome, its strings' memory kept: an audit fills six outcomes a blob, and
// building new ones freed and allocated their strings every time (~1% of an audit's
// instructions on small blobs, callgrind).
void reset_outcome(ProfileOutcome& o) {
  o.outcome = Outcome::not_read;
  o.error.clear();
  o.message.clear();
  o.decoded_size = 0;
  o.inferred = false;
}

void set_error_outcome(const Error& e, ProfileOutcome& o) {
  reset_outcome(o);
  o.outcome = e.code == Errc::unhandled ? Outcome::unhandled : Outcome::clean_error;
  e.label_to(o.error);
  // The modelled Python readers' unhandled errors name the exception class first
  // ("BadGzipFile: ..."): the label keeps it, as the readers table's rows of real imports do.
  if (e.code == Errc::unhandled && o.error == "unhandled") {
    const auto colon = e.message.find(": ");
    const std::string_view cls = std::string_view(e.message).substr(0, colon);
    const bool is_class = colon != std::string::npos && !cls.empty() &&
                          std::all_of(cls.begin(), cls.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
    if (is_class) o.error.append("/").append(cls);
  }
  o.message.assign(e.message);
}

}  // namespace

struct ProfileReads::Reading {
  std::vector<std::size_t> profiles;  // indices in kAllProfiles that share this reading
  bool is_strict = false;
  std::string candidate;              // "v1", "v2", "raw": a candidate sidecar, read strictly
  std::optional<Encoding> encoding;   // what the sidecar selected
  const SidecarText* sidecar = nullptr;  // the blob's (alive while it is read), or `own`
  SidecarText own;                       // a candidate's
  ReadOptions opts;
  enum class State { idle, deferred, active, done } state = State::idle;
  bool failed = false;  // update() returned the verdict: nothing more to feed
  NullSink sink;
  BlobDecoder* dec = nullptr;  // one of ProfileReads::decoders_, reset for this reading
  bool finished = false;  // finish() ran: `status` is the reading's, and `info` when it is ok
  Status status;
  DecodeInfo info;  // filled in place blob after blob (BlobDecoder::finish(info), issue 19)
  std::optional<BlobDecoder::Emitted> emitted;

  // A reading for a new blob: what a new Reading holds, with the memory of the last one. A
  // keyed reading takes the key into the string it already has.
  void renew(const std::string* key) {
    profiles.clear();
    is_strict = false;
    candidate.clear();
    encoding.reset();
    sidecar = nullptr;
    own.reset();
    opts.profile = Profile::strict;
    opts.max_size = kDefaultMaxSize;
    if (key) {
      if (!opts.key) opts.key.emplace();
      *opts.key = *key;
    } else {
      opts.key.reset();
    }
    state = State::idle;
    failed = false;
    sink = NullSink{};
    dec = nullptr;
    finished = false;
    status = Status{};
    emitted.reset();
  }

  bool right() const { return finished && status.ok(); }
  bool failed_to_read() const { return finished && !status.ok(); }
  void update(ByteView chunk) {
    if (state != State::active || failed || chunk.empty()) return;
    failed = !dec->update(chunk).ok();
  }
  void finish() {
    if (state != State::active) return;
    status = dec->finish(info);
    finished = true;
    // What strict emitted before it failed is what the salvage check hashes
    // (strict_content_matches_key); a right reading's is its DecodeInfo's.
    if (!status.ok()) emitted = dec->emitted();
    state = State::done;
  }
};

ProfileReads::Reading& ProfileReads::new_reading() {
  if (pool_used_ == pool_.size()) pool_.push_back(std::make_unique<Reading>());
  Reading* r = pool_[pool_used_++].get();
  readings_.push_back(r);
  return *r;
}

ProfileReads::ProfileReads() = default;
ProfileReads::~ProfileReads() = default;

std::size_t ProfileReads::strict_index() const {
  for (std::size_t i = 0; i < std::size(kAllProfiles); ++i)
    if (kAllProfiles[i] == Profile::strict) return i;
  return 0;
}

const ProfileReads::Reading* ProfileReads::strict_reading() const {
  for (const Reading* r : readings_)
    if (r->is_strict) return r;
  return nullptr;
}

ProfileReads::Reading* ProfileReads::strict_reading() {
  return const_cast<Reading*>(std::as_const(*this).strict_reading());
}

bool ProfileReads::inferred_from_strict(const Reading& r) const {
  const Reading* strict = strict_reading();
  if (!strict || !strict->right()) return false;
  if (family(*r.encoding) != Family::lz4) return true;
  const DecodeInfo& info = strict->info;
  return info.lz4_data_frames == 1 && info.lz4_skippable_frames == 0;
}

const std::vector<Result<Encoding>>& ProfileReads::dispatch_of(const SidecarText& sidecar) {
  auto hit = std::find_if(memo_.begin(), memo_.end(), [&](const Dispatch& d) { return d.sidecar == sidecar; });
  if (hit == memo_.end()) {
    Dispatch d{sidecar, {}};
    for (Profile p : kAllProfiles) d.by_profile.push_back(select_encoding(sidecar, p));  // steps 2-7
    if (memo_.size() == kDispatchMemo) memo_.pop_back();
    memo_.insert(memo_.begin(), std::move(d));
  } else if (hit != memo_.begin()) {
    std::rotate(memo_.begin(), hit, hit + 1);
  }
  return memo_.front().by_profile;
}

void ProfileReads::begin(const SidecarText& sidecar, const std::string& key, std::uint64_t max_size, bool decode) {
  readings_.clear();
  pool_used_ = 0;
  decoders_used_ = 0;
  outcomes_.resize(std::size(kAllProfiles));
  for (auto& o : outcomes_) reset_outcome(o);
  strict_enc_.reset();
  strict_dispatch_error_.reset();
  proven_as_.reset();
  key_ = key;
  max_size_ = max_size;
  decode_ = decode;
  candidates_added_ = false;
  head_ = {};
  magic_ = Container::empty;
  const std::vector<Result<Encoding>>& dispatch = dispatch_of(sidecar);
  for (std::size_t i = 0; i < std::size(kAllProfiles); ++i) {
    const Profile p = kAllProfiles[i];
    const Result<Encoding>& enc = dispatch[i];
    if (!enc) {
      if (p == Profile::strict) strict_dispatch_error_ = enc.error();
      set_error_outcome(enc.error(), outcomes_[i]);
      continue;
    }
    if (p != Profile::strict) {
      auto same = std::find_if(readings_.begin(), readings_.end(),
                               [&](const auto& r) { return !r->is_strict && r->encoding == *enc; });
      if (same != readings_.end()) {
        (*same)->profiles.push_back(i);
        continue;
      }
    }
    Reading& r = new_reading();
    r.renew(p == Profile::strict ? &key : nullptr);  // strict: the key for step 12
    r.profiles.push_back(i);
    r.is_strict = p == Profile::strict;
    r.encoding = *enc;
    r.sidecar = &sidecar;
    r.opts.profile = p;
    if (r.is_strict) {
      strict_enc_ = *enc;
      r.opts.max_size = max_size;
    }
  }
}

void ProfileReads::activate(Reading& r) {
  if (decoders_used_ == decoders_.size()) decoders_.push_back(std::make_unique<BlobDecoder>());
  r.dec = decoders_[decoders_used_++].get();
  r.dec->reset(*r.sidecar, r.opts, r.sink);
  r.state = Reading::State::active;
  r.update(head_);  // empty during a replay: the caller feeds the whole payload again
}

void ProfileReads::start(ByteView head, bool whole) {
  head_ = head;
  magic_ = detect_container(head.first(std::min(head.size(), kContainerProbeSize)));
  Reading* strict = strict_reading();
  if (!decode_) {
    // Step 8 only: the magic agreement needs the first kContainerProbeSize bytes.
    if (!strict) return;
    head_ = head.first(std::min(head.size(), kContainerProbeSize));
    activate(*strict);
    if (whole && head.size() < kContainerProbeSize) strict->finish();
    return;
  }
  if (strict) {
    activate(*strict);
    if (whole) strict->finish();
  }
  plan_after_strict(whole);
}

void ProfileReads::plan_after_strict(bool strict_final) {
  Reading* strict = strict_reading();
  const bool strict_failed = !strict || strict->failed || (strict_final && !strict->right());
  for (auto& r : readings_) {
    if (r->is_strict || !r->candidate.empty() || r->state != Reading::State::idle) continue;
    const bool inferable = strict_enc_ && family(*r->encoding) == family(*strict_enc_);
    if (inferable && !strict_failed)
      r->state = Reading::State::deferred;  // right if strict is (lz4: one frame); else read again
    else
      activate(*r);
  }
  if (strict_failed) add_candidates();
}

void ProfileReads::add_candidates() {
  if (candidates_added_) return;
  candidates_added_ = true;
  const std::optional<Family> fam = strict_enc_ ? std::optional(family(*strict_enc_)) : std::nullopt;
  auto add = [&](const char* name, bool raw, int version) {
    Reading& r = new_reading();
    r.renew(&key_);
    r.candidate = name;
    r.own = emit_meta(raw, version);
    r.sidecar = &r.own;
    r.opts.max_size = max_size_;
    activate(r);
  };
  const bool lz4_magic = magic_ == Container::lz4_frame || magic_ == Container::lz4_skippable;
  if (magic_ == Container::gzip && fam != Family::gzip) add("v1", false, 1);
  if (lz4_magic && fam != Family::lz4 && lz4_available()) add("v2", false, 2);
  if (fam != Family::raw) add("raw", true, 1);
}

void ProfileReads::update(ByteView chunk) {
  for (auto& r : readings_) r->update(chunk);
}

bool ProfileReads::wants_more() const {
  if (!decode_) return false;
  for (const auto& r : readings_)
    if (r->state == Reading::State::active && !r->failed) return true;
  return false;
}

void ProfileReads::finish() {
  if (!decode_) {
    // Metadata level: only a step-8 verdict counts; nothing else was read.
    Reading* strict = strict_reading();
    if (strict && strict->state == Reading::State::active && strict->failed) strict->finish();
    resolve();
    return;
  }
  for (auto& r : readings_) r->finish();
  resolve();
}

bool ProfileReads::needs_replay() const {
  if (!decode_) return false;
  const Reading* strict = strict_reading();
  const bool strict_right = strict && strict->right();
  if (!strict_right && !candidates_added_) return true;
  for (const auto& r : readings_)
    if (r->state == Reading::State::deferred && !inferred_from_strict(*r)) return true;
  return false;
}

void ProfileReads::start_replay() {
  head_ = {};
  for (auto& r : readings_)
    if (r->state == Reading::State::deferred && !inferred_from_strict(*r)) activate(*r);
  const Reading* strict = strict_reading();
  if (!strict || !strict->right()) add_candidates();
}

void ProfileReads::resolve() {
  const Reading* strict = strict_reading();
  for (const auto& r : readings_) {
    if (!r->candidate.empty()) {
      if (r->right() && !proven_as_) proven_as_ = r->candidate;
      continue;
    }
    for (std::size_t i : r->profiles) {
      ProfileOutcome& o = outcomes_[i];
      reset_outcome(o);
      if (r->state == Reading::State::deferred) {
        if (inferred_from_strict(*r)) {
          o.outcome = Outcome::right;
          o.decoded_size = strict->info.decoded_size;
          o.inferred = true;
        }
      } else if (r->finished) {
        if (r->status.ok()) {
          o.outcome = r->info.sha1 == key_ ? Outcome::right : Outcome::wrong_bytes;
          o.decoded_size = r->info.decoded_size;
        } else {
          set_error_outcome(r->status.error(), o);
        }
      }
    }
  }
}

const std::vector<ProfileOutcome>& ProfileReads::outcomes() const { return outcomes_; }

const Error* ProfileReads::strict_error() const {
  if (strict_dispatch_error_) return &*strict_dispatch_error_;
  const Reading* strict = strict_reading();
  if (strict && strict->failed_to_read()) return &strict->status.error();
  return nullptr;
}

std::optional<Encoding> ProfileReads::strict_encoding() const { return strict_enc_; }

bool ProfileReads::strict_content_matches_key() const {
  const Reading* strict = strict_reading();
  if (!strict || !strict->failed_to_read() || !strict->emitted) return false;
  const Error& e = strict->status.error();
  const bool trailer = e.code == Errc::corrupt && (e.detail == Detail::checksum || e.detail == Detail::size_mismatch);
  return trailer && strict->emitted->sha1 == key_;
}

std::optional<std::uint64_t> ProfileReads::content_size() const {
  for (std::size_t i = 0; i < outcomes_.size(); ++i)
    if (outcomes_[i].outcome == Outcome::right && (i == strict_index() || !outcomes_[i].inferred))
      return outcomes_[i].decoded_size;
  for (const auto& r : readings_)
    if (!r->candidate.empty() && r->right()) return r->info.decoded_size;
  return std::nullopt;
}

std::string ProfileReads::candidate_errors() const {
  std::string out;
  for (const auto& r : readings_) {
    if (r->candidate.empty() || !r->failed_to_read()) continue;
    if (!out.empty()) out += ", ";
    out += "as " + r->candidate + ": " + r->status.error().label();
  }
  return out;
}

}  // namespace casblob::audit
