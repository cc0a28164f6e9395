// The v1 writer (spec 5.2.1): byte-identical to Python 3.11's
//   gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=L, mtime=M [, filename=NAME])
// which writes (Lib/gzip.py, _write_gzip_header / write / close):
//   header  1f 8b 08 FLG MTIME(4, LE) XFL OS=ff [FNAME NUL]     (RFC 1952 2.3)
//   data    zlib.compressobj(L, DEFLATED, -MAX_WBITS, DEF_MEM_LEVEL=8, 0): raw deflate
//   trailer CRC32(4, LE) ISIZE(4, LE, size mod 2^32)
// zlib's deflate output does not depend on how the input is split into calls when no flush
// is requested, so any split of write() calls gives Python's bytes (checked by the tests).
#include <zlib.h>

#include <cstring>
#include <string>

#include <algorithm>

#include "casblob/experimental/gzip.hpp"
#include "common/buffer.hpp"
#include "common/fault_injection.hpp"

namespace casblob {
namespace {

// Deflate output, handed to the sink piece by piece (small enough to stay warm in L2).
constexpr std::size_t kOutChunk = 64 * 1024;

void put32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// FNAME as Python derives it from GzipFile(filename=...): os.path.basename(name), encoded
// Latin-1 (a name that cannot be encoded is dropped), a trailing ".gz" removed; an empty
// result writes no FNAME. The name is taken as UTF-8 text (what a Python str holds); bytes
// that are not valid UTF-8 are kept as they are (Python's bytes-filename behaviour).
std::string python_fname(const std::string& name) {
  std::string base = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
  std::string latin1;
  bool valid_utf8 = true, encodable = true;
  for (std::size_t i = 0; i < base.size();) {
    auto c = static_cast<unsigned char>(base[i]);
    if (c < 0x80) {
      latin1.push_back(static_cast<char>(c));
      i += 1;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < base.size() &&
               (static_cast<unsigned char>(base[i + 1]) & 0xC0) == 0x80 && c >= 0xC2) {
      unsigned cp = (c & 0x1Fu) << 6 | (static_cast<unsigned char>(base[i + 1]) & 0x3Fu);
      if (cp > 0xFF) encodable = false;
      latin1.push_back(static_cast<char>(cp & 0xFF));
      i += 2;
    } else if ((c & 0xF0) == 0xE0 || (c & 0xF8) == 0xF0) {
      // 3- and 4-byte sequences are code points above U+07FF: never Latin-1.
      std::size_t n = (c & 0xF0) == 0xE0 ? 3 : 4;
      bool ok = i + n <= base.size();
      for (std::size_t k = 1; ok && k < n; ++k)
        ok = (static_cast<unsigned char>(base[i + k]) & 0xC0) == 0x80;
      if (!ok) {
        valid_utf8 = false;
        break;
      }
      encodable = false;
      i += n;
    } else {
      valid_utf8 = false;
      break;
    }
  }
  std::string fname = valid_utf8 ? (encodable ? latin1 : std::string{}) : base;
  if (fname.size() >= 3 && fname.compare(fname.size() - 3, 3, ".gz") == 0)
    fname.resize(fname.size() - 3);
  return fname;
}

}  // namespace

struct GzipWriter::Impl {
  Sink* out;
  GzipWriteOptions opts;
  z_stream zs{};
  bool zs_ready = false;  // deflateInit2 succeeded at zs_level; kept across reset()
  int zs_level = 0;
  bool header_done = false, finished = false;
  Status failed;  // first error, returned again by every later call
  std::uint32_t crc = 0;
  std::uint64_t size = 0;
  detail::ScratchBuffer buf;

  Impl(Sink& o, GzipWriteOptions op) : out(&o), opts(std::move(op)) {}
  ~Impl() {
    if (zs_ready) deflateEnd(&zs);
  }

  void reset(Sink& o, GzipWriteOptions op) {
    out = &o;
    opts = std::move(op);
    header_done = finished = false;
    failed = Status{};
    crc = 0;
    size = 0;
  }

  Status fail(Error e) {
    failed = e;
    return failed;
  }

  Status zlib_failure(const char* call, int rc) {
    return fail(Error(Errc::io_error, std::string("gzip: zlib ") + call + " failed (" +
                                          (rc == Z_MEM_ERROR ? "out of memory" : "error " + std::to_string(rc)) + ")"));
  }

  // The deflate stream: made once, reset per member. deflateReset gives the bytes a fresh
  // deflateInit2 gives (it re-runs the same lm_init); a different level needs a new stream.
  Status start_stream() {
    if (zs_ready && zs_level == opts.level) {
      int rc = deflateReset(&zs);
      if (rc == Z_OK) return {};
      deflateEnd(&zs);
      zs_ready = false;
      return zlib_failure("deflateReset", rc);
    }
    if (zs_ready) {
      deflateEnd(&zs);
      zs_ready = false;
    }
    zs = z_stream{};
    zs.zalloc = detail::fault::zalloc;
    zs.zfree = detail::fault::zfree;
    // Python: zlib.compressobj(level, DEFLATED, -MAX_WBITS, DEF_MEM_LEVEL = 8, 0).
    int rc = deflateInit2(&zs, opts.level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    if (rc == Z_STREAM_ERROR)  // the only parameter a caller chooses is the level
      return fail(Error(Errc::usage, "gzip: invalid compression level " + std::to_string(opts.level)));
    if (rc != Z_OK) return zlib_failure("deflateInit2", rc);
    zs_ready = true;
    zs_level = opts.level;
    return {};
  }

  // Header (RFC 1952 2.3): written before the first data, as Python does in __init__.
  Status header() {
    if (header_done) return {};
    header_done = true;
    CASBLOB_TRY(start_stream());
    if (!buf.ensure(kOutChunk)) return fail(Error(Errc::io_error, "gzip: out of memory"));
    std::string fname = opts.file_name ? python_fname(*opts.file_name) : std::string{};
    Bytes h = {0x1f, 0x8b, 0x08, static_cast<std::uint8_t>(fname.empty() ? 0 : 0x08)};
    put32(h, opts.mtime);
    // XFL: Python 3.11 writes 2 for level 9 (_COMPRESS_LEVEL_BEST), 4 for level 1, else 0.
    h.push_back(opts.level == 9 ? 2 : opts.level == 1 ? 4 : 0);
    h.push_back(0xff);  // OS: 255 "unknown", Python's constant
    if (!fname.empty()) {
      h.insert(h.end(), fname.begin(), fname.end());
      h.push_back(0);
    }
    Status s = out->write(h);
    if (!s) return fail(s.error());
    crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
    return {};
  }

  // Runs deflate over `data` with `flush`, passing full output buffers to the sink.
  Status pump(ByteView data, int flush) {
    zs.next_in = const_cast<Bytef*>(data.data());
    std::size_t left = data.size();
    for (;;) {
      // avail_in is 32-bit: feed huge inputs in pieces (no flush in between, same output).
      uInt piece = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
      zs.avail_in = piece;
      const int f = left == piece ? flush : Z_NO_FLUSH;
      int rc;
      do {
        zs.next_out = buf.data();
        zs.avail_out = static_cast<uInt>(kOutChunk);
        rc = deflate(&zs, f);
        std::size_t n = kOutChunk - zs.avail_out;
        // Z_BUF_ERROR: no progress was possible, which the loop condition rules out unless
        // zlib is stuck; anything else is a zlib failure. Neither may loop.
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && n == 0 && zs.avail_in == 0 && f != Z_FINISH))
          return zlib_failure("deflate", rc);
        if (n > 0) {
          Status s = out->write(ByteView(buf.data(), n));
          if (!s) return fail(s.error());
        }
      } while (zs.avail_out == 0 || (f == Z_FINISH && rc != Z_STREAM_END));
      left -= piece;
      if (left == 0) return {};
    }
  }
};

GzipWriter::GzipWriter(Sink& out, GzipWriteOptions opts)
    : impl_(std::make_unique<Impl>(out, std::move(opts))) {}
GzipWriter::~GzipWriter() = default;
void GzipWriter::reset(Sink& out, GzipWriteOptions opts) { impl_->reset(out, std::move(opts)); }

Status GzipWriter::write(ByteView data) {
  Impl& w = *impl_;
  if (!w.failed.ok()) return w.failed;
  if (w.finished) return w.fail(Error(Errc::usage, "gzip: write() after finish()"));
  CASBLOB_TRY(w.header());
  if (data.empty()) return {};
  w.crc = static_cast<std::uint32_t>(
      crc32_z(w.crc, data.data(), static_cast<z_size_t>(data.size())));
  w.size += data.size();
  return w.pump(data, Z_NO_FLUSH);
}

Status GzipWriter::finish() {
  Impl& w = *impl_;
  if (!w.failed.ok()) return w.failed;
  if (w.finished) return w.fail(Error(Errc::usage, "gzip: finish() called twice"));
  CASBLOB_TRY(w.header());
  w.finished = true;
  CASBLOB_TRY(w.pump({}, Z_FINISH));
  // Trailer (RFC 1952 2.3.1): CRC32 and ISIZE = size mod 2^32.
  Bytes t;
  put32(t, w.crc);
  put32(t, static_cast<std::uint32_t>(w.size));
  Status s = w.out->write(t);
  if (!s) return w.fail(s.error());
  return {};
}

}  // namespace casblob
