// One payload read under every reader profile of the library (kAllProfiles) from the same
// bytes, plus the "candidate" readings that prove what a damaged blob really is.
//
// Profiles whose sidecar dispatch (spec 6.1 steps 1-7, select_encoding) selects the same
// decoder share one reading. A modelled profile whose decoder family (gzip or raw) is the one
// strict reads is not decoded at all when strict reads the blob right: every option in which
// Python's gzip model differs from strict (GzipReadOptions::python_compatible: empty input,
// FHCRC not checked, reserved FLG bits ignored) only accepts what strict rejects, and the
// modelled readers skip steps 8, 11 and 12, so on a payload strict accepts they produce the
// same bytes (also asserted by fuzz/decode_blob_fuzzer.cpp, and property-tested by
// tests/audit against decode_blob under each profile). For lz4 the rule needs one condition
// more: python-lz4 stops after the first frame and does not skip skippable frames, where
// strict reads every frame; the modelled v2 reader is the same frame decoder with options
// (Lz4ReadOptions::python_compatible: one frame, trailing bytes ignored, a dictionary id and
// a content size of 0 accepted) that, again, only accept what strict rejects. So a payload
// that strict reads right as exactly one data frame and no skippable frame
// (DecodeInfo::lz4_data_frames, lz4_skippable_frames) reads the same under v2 (also asserted
// by fuzz/decode_blob_fuzzer.cpp); any other lz4 payload is read again under v2.
//
// Small payloads are read once into memory and every reading that turns out to be needed
// runs on those bytes. Large ones stream: strict and the readings known to be needed run per
// chunk; a second pass (needs_replay) runs the rest when strict fails, or when strict read
// right an lz4 payload of more than one frame.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/report.hpp"
#include "casblob/experimental/container.hpp"
#include "casblob/reader.hpp"

namespace casblob::audit {

struct ProfileOutcome {
  Outcome outcome = Outcome::not_read;
  std::string error;           // label of a clean or unhandled error ("corrupt/checksum")
  std::string message;         // its message
  std::uint64_t decoded_size = 0;
  bool inferred = false;       // from strict's reading (see above), not decoded again
};

class ProfileReads {
 public:
  ProfileReads();
  ~ProfileReads();

  // Steps 1-7 under every profile. `decode` false: dispatch and the magic check only
  // (--level metadata, or a blob outside --sample). `sidecar` must outlive the reads.
  void begin(const SidecarText& sidecar, const std::string& key, std::uint64_t max_size, bool decode);
  // The first bytes of the payload (`whole`: all of it). Decides what this pass reads.
  void start(ByteView head, bool whole);
  void update(ByteView chunk);  // the bytes after the head, in order
  bool wants_more() const;      // some reading of this pass is still running
  void finish();
  // After finish(): strict failed and readings it could not be inferred for are still to run.
  // start_replay(); update() with the whole payload again; finish().
  bool needs_replay() const;
  void start_replay();

  // Results, after finish().
  std::size_t strict_index() const;                     // in kAllProfiles
  const std::vector<ProfileOutcome>& outcomes() const;  // kAllProfiles order
  // Hands the outcomes over in exchange for a vector whose buffers the next begin() reuses.
  void swap_outcomes(std::vector<ProfileOutcome>& into) noexcept { into.swap(outcomes_); }
  const Error* strict_error() const;                    // null when strict read right
  std::optional<Encoding> strict_encoding() const;      // what strict's dispatch selected
  // The SHA-1 of what strict emitted before it failed equals the key (badChecksumContentOk).
  bool strict_content_matches_key() const;
  std::optional<std::uint64_t> content_size() const;  // from a right reading
  Container magic() const { return magic_; }
  // A sidecar that would make the payload read as its key ("v1", "v2", "raw"), when strict
  // does not read it right and one does (spec R-FWD-5: repair's proof).
  const std::optional<std::string>& proven_as() const { return proven_as_; }
  // The reading as a candidate gave, when it ran and failed (for messages).
  std::string candidate_errors() const;

 private:
  struct Reading;
  void activate(Reading& r);
  void feed(ByteView chunk);
  void plan_after_strict(bool strict_final);
  void add_candidates();
  void resolve();
  Reading* strict_reading();
  const Reading* strict_reading() const;
  // A deferred reading's outcome follows from strict's right reading (see above).
  bool inferred_from_strict(const Reading& r) const;

  Reading& new_reading();

  std::vector<Reading*> readings_;  // this blob's, in pool_
  // The readings themselves, kept from blob to blob (their vectors, strings and options keep
  // their memory); the first `pool_used_` serve this blob.
  std::vector<std::unique_ptr<Reading>> pool_;
  std::size_t pool_used_ = 0;
  // The decoders of the readings, kept from blob to blob and reset (issue 19: a reset
  // BlobDecoder keeps its codec contexts, buffers and SHA-1 context; a new one per reading
  // per blob was most of a small blob's cost). The first `decoders_used_` serve this blob.
  std::vector<std::unique_ptr<BlobDecoder>> decoders_;
  std::size_t decoders_used_ = 0;
  std::vector<ProfileOutcome> outcomes_;
  std::optional<Encoding> strict_enc_;
  std::optional<Error> strict_dispatch_error_;
  std::string key_;
  std::uint64_t max_size_ = 0;
  bool decode_ = true, candidates_added_ = false;
  Container magic_ = Container::empty;
  std::optional<std::string> proven_as_;
  ByteView head_;
  // Steps 2-7 depend on the sidecar text alone, and a store's sidecars are nearly all one of
  // Metaflow's few canonical texts (v1, v2, raw, absent), interleaved blob after blob: the
  // dispatch under every profile of the last few texts is kept, most recent first.
  struct Dispatch {
    SidecarText sidecar;  // absent is a value too
    std::vector<Result<Encoding>> by_profile;
  };
  static constexpr std::size_t kDispatchMemo = 8;
  std::vector<Dispatch> memo_;
  const std::vector<Result<Encoding>>& dispatch_of(const SidecarText& sidecar);
};

}  // namespace casblob::audit
