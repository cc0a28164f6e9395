// RFC 1952 gzip: the v1 encoding and the no-sidecar legacy encoding (spec 5.2, 5.3).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casblob/codecs.hpp"
#include "casblob/experimental/container.hpp"
#include "casblob/io.hpp"

namespace casblob {

// ---- writer (options and engines: casblob/codecs.hpp) ------------------------------

// With the zlib engine, byte-identical to Python's gzip.GzipFile(fileobj=..., mode="wb",
// compresslevel=level, mtime=mtime) for any split of the input into write() calls (spec
// 5.2.1, R-W1-1). With any engine, the bytes depend only on the content and the options.
class GzipWriter {
 public:
  GzipWriter(Sink& out, GzipWriteOptions opts = {});
  ~GzipWriter();
  Status write(ByteView data);
  Status finish();  // writes the trailer; call once
  // Starts a new member for `out`, as a freshly constructed writer would, keeping the deflate
  // state (deflateReset instead of deflateInit2: ~270 KB of state allocated once) and the
  // output buffer. The bytes are the same as a fresh writer's.
  void reset(Sink& out, GzipWriteOptions opts = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- reader ---------------------------------------------------------------------------

// Knobs that distinguish real readers (spec 5.2.2 and Appendix A). Defaults are strict.
struct GzipReadOptions {
  bool allow_empty_input = false;     // Python: an empty file decodes to b"" (hazard H-EMPTY)
  bool multi_member = true;           // RFC 1952 2.2: members concatenate
  bool allow_zero_padding = true;     // Python skips NUL bytes between/after members
  bool verify_header_crc = true;      // Python 3.11 reads FHCRC but does not check it
  bool reject_reserved_flags = true;  // RFC 1952 2.3.1.2 MUST; Python ignores them
  // Python raises BadGzipFile on non-gzip bytes after a member (trailing garbage); a
  // reader may instead stop there and report them (inspect uses this).
  bool stop_at_trailing_data = false;

  // Accepts and rejects exactly what Python 3.11's gzip.GzipFile(fileobj=f).read() does, with
  // the same bytes (measured: tests/test_gzip_decoder.cpp): empty input -> b"", FHCRC not
  // checked, reserved FLG bits ignored. Other knobs keep their defaults.
  static GzipReadOptions python_compatible();
};

struct GzipMemberInfo {
  std::uint64_t offset = 0;            // of the member's first byte in the input
  std::uint8_t method = 0, flags = 0, xfl = 0, os = 0;
  std::uint32_t mtime = 0;
  std::optional<std::string> file_name, comment;  // raw bytes (ISO 8859-1 per RFC), first 64 KiB
  std::optional<std::uint32_t> extra_length;      // FEXTRA XLEN
  std::optional<std::uint16_t> header_crc;        // FHCRC as stored
  std::uint64_t header_size = 0, compressed_size = 0;  // deflate bytes
  std::uint64_t decoded_size = 0;
  std::uint32_t crc32 = 0, isize = 0;             // trailer as stored
};

struct GzipReport {
  std::vector<GzipMemberInfo> members;  // the first 4096 members (bounded memory)
  std::uint64_t member_count = 0;       // all complete members
  std::uint64_t padding_bytes = 0;   // NULs skipped between/after members
  std::uint64_t trailing_bytes = 0;  // bytes after the last member that are not padding
  std::uint64_t input_size = 0, decoded_size = 0;
};

// Push decoder: feed any chunking of the input, decoded bytes go to `out` as they appear.
// Errors in the data are Errc::corrupt with a Detail; a failure of zlib itself (out of
// memory) is io_error. Errors are final (further calls return the same).
class GzipDecoder {
 public:
  GzipDecoder(Sink& out, GzipReadOptions opts = {});
  ~GzipDecoder();
  Status update(ByteView in);
  Status finish();  // end of input
  const GzipReport& report() const;
  // Starts over on a new input for `out`, as a freshly constructed decoder would, keeping the
  // inflate stream (inflateReset) and the output buffer: a long-lived owner pays the set-up
  // once, not per blob.
  void reset(Sink& out, GzipReadOptions opts = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};


}  // namespace casblob
