// Reading a blob: sidecar dispatch, decoding and verification, per profile (spec 6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casblob/io.hpp"
#include "casblob/profile.hpp"

namespace casblob {

// Strict's default output limit (spec 10.1): 4 GiB, where gzip's ISIZE stops being exact.
inline constexpr std::uint64_t kDefaultMaxSize = std::uint64_t{1} << 32;

struct ReadOptions {
  Profile profile = Profile::strict;
  std::optional<std::string> key;  // when known, strict verifies SHA-1(decoded) == key
  // Honoured by strict only: legacy/v2/v2-nolz4 model readers that have no limit.
  std::uint64_t max_size = kDefaultMaxSize;
  std::size_t chunk = kDefaultChunk;  // input read size
};

// The sidecar as the store holds it: absent (no file / no metadata) or its exact bytes.
using SidecarText = std::optional<std::string>;

struct DecodeInfo {
  std::string encoding;             // "raw", "gzip-v1", "gzip-nosidecar", "lz4-v2"
  std::uint64_t stored_size = 0;    // bytes read from the blob
  std::uint64_t decoded_size = 0;
  std::string sha1;                 // of the decoded bytes
  bool key_checked = false;         // a key was given and compared (strict)
  std::vector<std::string> notes;   // what a careful reader would want to know
};

// Streams the decoded bytes to `out` while decoding. Under legacy/v2/v2-nolz4 the bytes
// written are exactly what the modelled reader returns, wrong bytes included. Under strict,
// bytes already written are unverified until the call returns ok: write to an
// AtomicFileSink and commit only on success (the CLI does).
Result<DecodeInfo> decode_blob(Source& blob, const SidecarText& sidecar, const ReadOptions& opts,
                               Sink& out);

// In-memory convenience.
struct Decoded {
  DecodeInfo info;
  Bytes bytes;
};
Result<Decoded> decode_blob(ByteView blob, const SidecarText& sidecar, const ReadOptions& opts);

}  // namespace casblob
