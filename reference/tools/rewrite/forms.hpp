// What a blob is, as a rewrite sees it: the form of its payload and sidecar (spec 5), the
// sidecars each form is written with, and the fence sidecar a transition through raw passes
// (spec section "Rewriting blobs", R-MIG-2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "casblob/reader.hpp"
#include "casblob/writer.hpp"

namespace casblob::rewrite {

enum class Form {
  nosidecar,  // a gzip payload without sidecar (spec 5.3): read as v1 by every reader
  v1,         // gzip, {"cas_raw": false, "cas_version": 1}
  v2,         // lz4 frame, {"cas_raw": false, "cas_version": 2}
  raw,        // the content as stored, {"cas_raw": true, "cas_version": 1}
};
std::string_view name(Form f) noexcept;  // "no-sidecar", "v1", "v2", "raw"
std::optional<Form> form_from_name(std::string_view name) noexcept;  // also the audit's proofs: "v1", "v2", "raw"

// The form a strict reading selected (select_encoding).
Form form_of(Encoding e) noexcept;

// What a rewrite produces: a form and, for v2, whether the frame carries a content checksum.
struct Target {
  Form form = Form::v1;  // never nosidecar
  bool content_checksum = false;
};
std::string describe(const Target& t);  // "v1", "v2", "v2 + content checksum", "raw"

// Metaflow's own encoder settings for the target (gzip level 3; lz4.frame.compress defaults).
EncodeOptions encode_options(const Target& t);

// The sidecar Metaflow writes for `f` (json.dumps of the meta dict); nullopt for nosidecar.
SidecarText canonical_sidecar(Form f);

// R-MIG-2: the sidecar a transition into or out of raw writes first. cas_version 0 is no
// version any writer may ever use (R-META-8: an integer >= 1), so it cannot collide with a
// future encoding; released Metaflow and PR #3090 look up `_unpack_v0`, find nothing and
// raise their clean "Unknown encoding version" DataException without reading the payload
// (fixture n_sidecar_version_zero); strict fails it with meta_invalid. Whatever the payload
// is at that moment (old or new), every CAS-era reader fails cleanly.
inline constexpr std::string_view kFenceSidecar = R"({"cas_raw": false, "cas_version": 0, "casblob_rewrite": "in progress"})";
bool is_fence(const SidecarText& s) noexcept;

}  // namespace casblob::rewrite
