// Reading a blob: sidecar dispatch, decoding and verification, per profile (spec 6).
//
// BlobDecoder is the reader: bytes are pushed into it as they arrive (a file, an HTTP body, a
// Python write()), in chunks of any size; the result does not depend on the chunking. The two
// decode_blob() functions are adapters over it for a Source and for bytes in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casblob/io.hpp"
#include "casblob/key.hpp"
#include "casblob/profile.hpp"

namespace casblob {

// Strict's default output limit (spec 10.1): 4 GiB, where gzip's ISIZE stops being exact.
inline constexpr std::uint64_t kDefaultMaxSize = std::uint64_t{1} << 32;

struct ReadOptions {
  Profile profile = Profile::strict;
  std::optional<std::string> key;  // when known, strict verifies SHA-1(decoded) == key
  // Honoured by strict only: the other profiles model readers that have no limit.
  std::uint64_t max_size = kDefaultMaxSize;
  std::size_t chunk = kDefaultChunk;  // decode_blob(Source&): the largest read
};

// The sidecar as the store holds it: absent (no file / no metadata) or its exact bytes.
using SidecarText = std::optional<std::string>;

// What the sidecar made the reader decode the payload as (spec 6.1 steps 2-7).
enum class Encoding {
  raw,             // cas_raw: the payload is the content
  gzip_v1,         // cas_version 1
  gzip_nosidecar,  // no sidecar: gzip implied (spec 5.3)
  lz4_v2,          // cas_version 2
  gzip_pre_cas,    // pre-CAS datastore (profile pre-cas): gzip whatever the sidecar says, and
                   // the gzip module's exceptions escape (Errc::unhandled)
};
// "raw", "gzip-v1", "gzip-nosidecar", "lz4-v2", "gzip-pre-cas"
std::string_view name(Encoding e) noexcept;

struct DecodeInfo {
  Encoding encoding = Encoding::raw;
  std::uint64_t stored_size = 0;    // bytes of payload read
  std::uint64_t decoded_size = 0;
  HexDigest sha1;                   // of the decoded bytes
  bool key_checked = false;         // a key was given and compared (strict)
  // What a careful reader would want to know about the payload, as counts: notes() words them.
  // Kept as numbers, not sentences, so that a read allocates nothing for them (issue 19: every
  // v2 blob Python writes has no content checksum, and its note cost two allocations a read).
  std::uint64_t gzip_members = 0;        // gzip payloads: members read (0: an empty payload)
  std::uint64_t gzip_padding_bytes = 0;  // NUL bytes after the last member, skipped
  // lz4 payloads: the frames the read went through. A payload strict reads that is one data
  // frame and nothing else reads the same under a reader of the first frame only (python-lz4:
  // the modelled v2 profile), which is how an audit infers that reading (profile_reads.hpp).
  std::uint64_t lz4_data_frames = 0;
  std::uint64_t lz4_skippable_frames = 0;
  std::uint64_t lz4_trailing_bytes = 0;  // after the first frame, ignored (python-lz4)
  bool lz4_unchecked_frames = false;     // some data frame has no content checksum

  // Every field: two reads that agree agree on all of it, counts added later included.
  bool operator==(const DecodeInfo&) const = default;
};

// The notes of a read, one sentence each, in a fixed order: what `casblob decode --json`
// reports as "notes". Empty for a payload with nothing unusual about it.
std::vector<std::string> notes(const DecodeInfo& info);

// The reader of spec 6.1 as a push decoder. Steps 1-7 (key syntax, sidecar, dispatch) run in
// the constructor; their verdict, like every later one, is final and returned by every call
// that follows. update() takes the payload in order; finish() ends it and returns the result.
//
// Decoded bytes go to `out` as they are produced. Under every profile but strict they are
// exactly what the modelled reader returns, wrong bytes included. Under strict they are unverified
// until finish() returns ok (R-READ-6): write them where they can be discarded (the CLI uses
// an atomic file or a spool).
//
// A BlobDecoder can be reused: reset() starts the next blob as a freshly constructed decoder
// would, keeping its codec contexts (zlib inflate stream, lz4 buffers) and its SHA-1 context.
// A long-lived caller that decodes many blobs holds one per thread (issue 19: set-up was most
// of the cost of a small blob). A default-constructed decoder needs reset() before use.
class BlobDecoder {
 public:
  BlobDecoder();
  BlobDecoder(const SidecarText& sidecar, const ReadOptions& opts, Sink& out);
  void reset(const SidecarText& sidecar, const ReadOptions& opts, Sink& out);
  ~BlobDecoder();
  BlobDecoder(BlobDecoder&&) noexcept;
  BlobDecoder& operator=(BlobDecoder&&) noexcept;

  Status update(ByteView chunk);
  Result<DecodeInfo> finish();  // once; later calls return the same error or Errc::usage
  // The same into `info`, which a long-lived caller keeps from blob to blob: nothing is
  // copied out of a Result (issue 19). On success every field is this blob's; on error
  // `info` holds nothing to rely on.
  Status finish(DecodeInfo& info);
  // The encoding the sidecar selected, once steps 1-7 passed.
  std::optional<Encoding> encoding() const;

  // What reached `out`, once finish() has returned: the byte count and the SHA-1 of those
  // bytes. After a successful finish() that is the content; after a failed one it is what the
  // reader produced before it failed: a gzip member whose CRC32 or ISIZE alone is wrong has
  // handed over all of its content, which may still hash to the key (salvage, Metaflow #1229).
  struct Emitted {
    std::uint64_t size = 0;
    HexDigest sha1;
  };
  std::optional<Emitted> emitted() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Steps 1-7 alone (spec 6.1): the encoding `sidecar` makes a reader of `profile` decode the
// payload as, or the error that ends the read there. What BlobDecoder's constructor decides,
// without building a decoder: tools that read one payload under several profiles use it to
// see which profiles read it alike.
Result<Encoding> select_encoding(const SidecarText& sidecar, Profile profile);

// Reads `blob` to its end through a BlobDecoder.
Result<DecodeInfo> decode_blob(Source& blob, const SidecarText& sidecar, const ReadOptions& opts, Sink& out);
// The same through `decoder`, reset for this blob: its contexts are kept for the next one.
Result<DecodeInfo> decode_blob(BlobDecoder& decoder, Source& blob, const SidecarText& sidecar, const ReadOptions& opts,
                               Sink& out);

// In-memory convenience: the output is reserved once from what the payload declares, within
// the limit.
struct Decoded {
  DecodeInfo info;
  Bytes bytes;
};
Result<Decoded> decode_blob(ByteView blob, const SidecarText& sidecar, const ReadOptions& opts);

// The same with what a long-lived caller keeps: `decoder` (reset for this blob) and `out`,
// overwritten with the content (its memory is reused: no allocation or zeroing once it has
// grown). On error `out` holds no content.
Result<DecodeInfo> decode_blob(BlobDecoder& decoder, ByteView blob, const SidecarText& sidecar,
                               const ReadOptions& opts, Bytes& out);

// The same, zero-copy where the format allows: `content` is the verified content, a view of
// `blob` itself when the payload is stored raw (the payload is the content: nothing is copied,
// as Python's read hands back the bytes it holds), else of `out`, written as above. Valid while
// `blob` and `out` are and `out` is not written again. On error `content` is empty and `out`
// holds no content.
Result<DecodeInfo> decode_blob(BlobDecoder& decoder, ByteView blob, const SidecarText& sidecar,
                               const ReadOptions& opts, Bytes& out, ByteView& content);
// The same with the result written into the caller's kept `info` (BlobDecoder::finish(info)):
// the cheapest read of a small blob (measured ~4% under the overload above at 234 B).
Status decode_blob(BlobDecoder& decoder, ByteView blob, const SidecarText& sidecar, const ReadOptions& opts,
                   Bytes& out, ByteView& content, DecodeInfo& info);

}  // namespace casblob
