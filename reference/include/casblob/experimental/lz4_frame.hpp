// The lz4 frame format (lz4 doc/lz4_Frame_format.md): the proposed v2 encoding (spec 5.4).
// Built only with CASBLOB_WITH_LZ4; without it every entry point fails codec_unavailable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "casblob/codecs.hpp"
#include "casblob/experimental/container.hpp"
#include "casblob/io.hpp"

namespace casblob {

// ---- writer (options: casblob/codecs.hpp) --------------------------------------------

// Byte-identical to lz4.frame.compress(data, <same options>) for any split of the input,
// provided content_size == total bytes written (checked by finish(): Errc::usage).
// As liblz4's LZ4F_compressFrame does: content_size 0 stores no content size; a known total
// (content_size or size_hint) lowers the block size to the smallest that holds it and makes a
// single-block frame independent. Without either, the options are written as given.
class Lz4Writer {
 public:
  Lz4Writer(Sink& out, Lz4WriteOptions opts = {});
  ~Lz4Writer();
  Status write(ByteView data);
  Status finish();
  // Starts a new frame for `out`, as a freshly constructed writer would, keeping the output
  // buffer and the LZ4F context, except between two fast-level (< 3) frames, where a kept
  // context's stale match table would change the output. The bytes are a fresh writer's.
  void reset(Sink& out, Lz4WriteOptions opts = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- reader ---------------------------------------------------------------------------

struct Lz4ReadOptions {
  bool allow_empty_input = false;
  bool multi_frame = true;        // decode concatenated frames (lz4 CLI); python-lz4: first only
  // true: skippable frames (magic 0x184D2A5?) are skipped wherever they are and do not count
  // as a frame. false: a skippable frame is a frame that decodes to nothing, so with
  // multi_frame=false a LEADING skippable frame is "the" frame and the data frame after it is
  // ignored -- what python-lz4 4.0.2 does (lz4.frame.decompress(skippable + frame) == b"").
  bool skip_skippable = true;
  // python-lz4's decompress() ignores everything after the first frame; strict rejects it.
  bool ignore_trailing_data = false;
  bool verify_checksums = true;   // content and block checksums when present
  // lz4_Frame_format.md: a Dict-ID asks for a dictionary casblob never has. Strict rejects
  // the header (corrupt/header); liblz4 (python-lz4) decodes the frame without a dictionary,
  // which works when no block refers to one.
  bool reject_dict_id = true;
  // liblz4 treats a stored content size of 0 as "unknown" and does not check it; strict
  // checks it like any other value (corrupt/size_mismatch when data follows).
  bool content_size_zero_is_unknown = false;

  // Accepts and rejects exactly what python-lz4 4.0.2's lz4.frame.decompress(data) does, with
  // the same bytes (measured: tests/test_lz4_decoder.cpp).
  static Lz4ReadOptions python_compatible();
};

struct Lz4BlockInfo {
  std::uint64_t offset = 0;
  std::uint32_t stored_size = 0;  // bytes of block data (without the 4-byte size field)
  bool uncompressed = false;      // high bit of the block size
  std::optional<std::uint32_t> checksum;
};

struct Lz4FrameInfo {
  std::uint64_t offset = 0;
  bool skippable = false;
  std::uint32_t skippable_magic = 0, skippable_size = 0;
  std::uint8_t flg = 0, bd = 0, header_checksum = 0;
  int version = 0;
  bool independent_blocks = false, block_checksum = false, content_checksum = false;
  std::optional<std::uint64_t> content_size;
  std::optional<std::uint32_t> dict_id;
  std::uint32_t block_max_size = 0;
  std::vector<Lz4BlockInfo> blocks;  // the report keeps 4096 block entries over all frames

  std::uint64_t block_count = 0;
  std::optional<std::uint32_t> content_checksum_value;
  std::uint64_t decoded_size = 0;
};

struct Lz4Report {
  std::vector<Lz4FrameInfo> frames;  // data and skippable frames, in order; the first 4096
  std::uint64_t frame_count = 0;     // all frames (data and skippable) completed or started
  std::uint64_t skippable_count = 0; // of which skippable
  std::uint64_t trailing_bytes = 0;  // after the last frame, not decoded
  std::uint64_t input_size = 0, decoded_size = 0;
};

// Push decoder: feed any chunking of the input, decoded bytes go to `out` block by block; to a
// DirectSink (direct_sink.hpp) they are decoded in place, without a copy. Errors in the data
// are Errc::corrupt with a Detail, out of memory is io_error; errors are final.
class Lz4Decoder {
 public:
  Lz4Decoder(Sink& out, Lz4ReadOptions opts = {});
  ~Lz4Decoder();
  Status update(ByteView in);
  Status finish();
  const Lz4Report& report() const;
  // Starts over on a new input for `out`, as a freshly constructed decoder would, keeping its
  // buffers (a long-lived owner allocates them once, sized to the largest blob seen).
  void reset(Sink& out, Lz4ReadOptions opts = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};


}  // namespace casblob
