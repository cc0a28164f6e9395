// One blob rewritten (migrate, repair): proven by its key before, encoded in the target,
// proven by its key again in its new form, then switched in the order of the transition
// table (transitions.hpp). Written against Storage only: any backend.
#pragma once

#include <string>
#include <vector>

#include "audit/blob_check.hpp"
#include "rewrite/forms.hpp"
#include "rewrite/transitions.hpp"

namespace casblob::rewrite {

enum class BlobOutcome {
  rewritten,    // the steps were performed (dry run: would be)
  in_target,    // already in the target: nothing to do
  skipped_raw,  // a raw blob, and raw blobs were not asked for (--include-raw)
  damaged,      // nothing proves the blob's content: reported, left alone
  vanished,     // the blob disappeared while being examined
  failed,       // an I/O error, or the new payload did not verify: the blob is as it was
};
std::string_view name(BlobOutcome o) noexcept;  // "rewritten", "in_target", ...

struct RewritePolicy {
  Target target;
  bool include_raw = false;      // rewrite raw blobs too (raw -> encoded)
  bool nosidecar_is_v1 = true;   // a gzip payload without sidecar is already v1 (migrate)
  // Accept a proof (the payload reads as its key under the sidecar its magic suggests) for a
  // blob strict does not read right: migrate accepts one only for the states a rewrite
  // leaves (the fence, a format mismatch); repair for every blob (R-FWD-5).
  bool any_proof = false;
  bool salvage = false;          // rewrite badChecksumContentOk blobs from their emitted content
  bool reencode = false;         // rewrite the payload even when its form is the target's
  bool keep_form = false;        // the target is the form the blob is proven to be (repair)
  std::uint64_t max_size = kDefaultMaxSize;
};

struct BlobRewrite {
  BlobOutcome outcome = BlobOutcome::failed;
  std::optional<Form> from;          // what the key proved the blob to be
  bool resumed = false;              // it was in a state a rewrite leaves (fence, mismatch)
  std::vector<Step> steps;           // in order: done (apply) or planned
  std::string message;               // one line: why, for anything but rewritten / in_target
  std::vector<std::string> findings; // the audit's finding ids, for damaged blobs
  std::uint64_t stored_before = 0, stored_after = 0;
  std::optional<std::uint64_t> content;
};

class BlobRewriter {
 public:
  explicit BlobRewriter(Storage& storage, std::uint64_t max_size = kDefaultMaxSize);
  // Examines the blob (the audit's BlobChecker, data level) and, with `apply`, rewrites it.
  BlobRewrite rewrite(const audit::BlobRef& blob, const RewritePolicy& policy, bool apply);

 private:
  Status perform(const audit::BlobRef& blob, const RewritePolicy& policy, Form from,
                 const SidecarText& read_as, BlobRewrite& out);
  Storage& storage_;
  audit::BlobChecker checker_;
};

}  // namespace casblob::rewrite
