// The transition table (spec section "Rewriting blobs"): for every (from, to) pair a rewrite
// performs, the writes in their safe order, every state a crash between two writes can leave,
// and what every reader profile of the library returns in each of those states, obtained by
// building the state and reading it (decode_blob), never typed by hand. One source of truth:
// `casblob migrate --list-transitions` prints it, the spec's table is generated from it, and
// tests/rewrite checks the rule below on many contents, in C++ and through the Metaflow model.
//
// The rule (R-MIG-1): in every intermediate state, every profile that reads sidecars (the
// CAS-era readers) returns the right bytes or a clean error; a profile that ignores sidecars
// (pre-CAS Metaflow) sees only the old or the new payload, and returns what it returns on the
// endpoint with that payload. No state is ever wrong bytes where neither endpoint is.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/report.hpp"
#include "casblob/io.hpp"
#include "casblob/profile.hpp"
#include "rewrite/forms.hpp"

namespace casblob::rewrite {

// One durable, atomic write of a local rewrite (temporary file, fsync, rename, directory fsync).
enum class Step {
  fence,    // the fence sidecar (kFenceSidecar)
  payload,  // the new payload replaces the old one
  sidecar,  // the new sidecar replaces the old one (or the fence)
};
std::string_view name(Step s) noexcept;

// R-MIG-2, R-MIG-3: the writes in order. A rewrite into or out of raw that changes both the
// payload and the sidecar goes through the fence (fence, payload, sidecar): payload first would
// pair an encoded payload with a raw sidecar, or raw content with an encoded sidecar, and
// sidecar first the reverse; released readers return the stored bytes, or gunzip raw content
// that happens to be gzip (H-RAWGZ), as content. Between encodings (v1, v2, no sidecar) the
// payload goes first, as R-KEY-4 orders every local write: the crash state is a format
// mismatch that every reader fails cleanly. Where only one of the two changes, it is one write.
std::vector<Step> plan_steps(bool payload_changes, bool sidecar_changes, bool through_raw);

// The state of a blob after some of the steps: which payload and which sidecar it has.
struct BlobState {
  bool new_payload = false;
  enum class Side { old_sidecar, fence, new_sidecar } sidecar = Side::old_sidecar;
};
std::string describe(const BlobState& s);  // "new payload + old sidecar", ...
// The states after each step but the last (a crash inside a step leaves the state before it
// plus a temporary file, which no reader sees).
std::vector<BlobState> intermediate_states(const std::vector<Step>& steps);

// One transition of the table.
struct Transition {
  Form from;
  Target to;
  bool reencode = false;  // the payload is rewritten although its container stays (v1 -> v1)
};
// Every (from, to) pair migrate and repair perform.
const std::vector<Transition>& all_transitions();
std::string describe(const Transition& t);

struct ProfileRead {
  audit::Outcome outcome = audit::Outcome::not_read;
  std::string error;  // the error name, for clean and unhandled errors
  std::string sha1;   // of the bytes returned, for wrong bytes
  bool operator==(const ProfileRead&) const = default;
};
std::string cell(const ProfileRead& r);  // "ok", an error name, "WRONG BYTES"

// Whether a reader of `p` reads sidecars at all: its dispatch makes a raw sidecar raw (pre-CAS
// Metaflow gunzips every payload). From the library's own dispatch (select_encoding).
bool reads_sidecars(Profile p);

struct StateProof {
  BlobState state;
  Bytes payload;        // the state itself, as built
  SidecarText sidecar;
  std::vector<ProfileRead> reads;  // kAllProfiles order
  std::vector<std::string> violations;  // profiles for which R-MIG-1 does not hold
};

struct TransitionProof {
  Transition transition;
  std::string key;
  std::vector<Step> steps;
  StateProof from, to;
  std::vector<StateProof> intermediate;
  bool holds() const;  // no violation in any intermediate state
};

// Builds every state of `t` for `content` and reads each under every profile with the key.
// `steps`: another order than plan_steps' (tests show the rule rejects the unsafe ones).
TransitionProof prove(const Transition& t, ByteView content, std::optional<std::vector<Step>> steps = std::nullopt);

// The content the published table is computed on (a small pickle-like text: neither empty nor
// itself gzip or lz4; tests/rewrite checks those contents too).
Bytes table_sample_content();

// The table as Markdown (the spec's generated block) and as JSON.
std::string transitions_markdown(const std::vector<TransitionProof>& proofs);
std::string transitions_json(const std::vector<TransitionProof>& proofs);

}  // namespace casblob::rewrite
