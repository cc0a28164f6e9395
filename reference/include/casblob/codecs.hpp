// The codecs of this build and the writer options an embedder chooses (spec 5.2.1, 5.4.1).
// The codec classes themselves, their read knobs and reports are in casblob/experimental/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace casblob {

// false when the library was built with CASBLOB_WITH_LZ4=OFF: v2 blobs then fail with
// codec_unavailable (R-READ-3) and v2 writes with codec_unavailable.
bool lz4_available() noexcept;

// ---- v1: gzip -----------------------------------------------------------------------------

// The deflate implementation that writes a v1 member's data. Only zlib gives Python's bytes;
// the others write valid deflate of the same content faster (any level is conformant, and the
// key is the SHA-1 of the content, so it does not change: spec 5.2.1). Measured on the bench
// machine (bench/README.md), against zlib level 3:
enum class GzipEngine : std::uint8_t {
  zlib,        // levels 0-9; byte-identical to Python's gzip module (R-W1-1..4): the default
  isal,        // ISA-L, levels 0-3; level 1: 5-10x faster, 0-7 % larger; streams
  libdeflate,  // libdeflate, levels 1-12; level 3: 1.4-2.2x faster, equal or smaller; whole
               // buffer (the content is collected; past 64 MiB zlib takes over at the same level)
};
std::string_view name(GzipEngine engine) noexcept;
std::optional<GzipEngine> gzip_engine_from_name(std::string_view name) noexcept;

struct GzipWriteOptions {
  int level = 3;               // Metaflow: GzipFile(compresslevel=3); the engine's own scale
  std::uint32_t mtime = 0;     // Python writes time.time(); fixed here for reproducibility
  std::optional<std::string> file_name;  // FNAME (older datastores wrote one); none: no FNAME
  GzipEngine engine = GzipEngine::zlib;  // opt in to a faster engine (not Python's bytes)
};

// ---- v2: lz4 frame ------------------------------------------------------------------------

enum class Lz4BlockSize : std::uint8_t { max64KB = 4, max256KB = 5, max1MB = 6, max4MB = 7 };

// Defaults are python-lz4 4.0.2 lz4.frame.compress() defaults: level 0, 64 KB blocks,
// linked blocks, content size stored, no checksums (spec 5.4.1, R-W2-1).
struct Lz4WriteOptions {
  int level = 0;
  Lz4BlockSize block_size = Lz4BlockSize::max64KB;
  bool independent_blocks = false;  // python-lz4 block_linked=True
  bool content_checksum = false;
  bool block_checksum = false;
  // Content size to store in the header (python-lz4 store_size=True). Required for byte
  // identity with lz4.frame.compress; when absent no content size is written.
  std::optional<std::uint64_t> content_size;
  // The total input size when known but not to be stored (python-lz4 store_size=False):
  // like content_size it selects LZ4F_compressFrame's block size and block mode.
  std::optional<std::uint64_t> size_hint;
};

}  // namespace casblob
