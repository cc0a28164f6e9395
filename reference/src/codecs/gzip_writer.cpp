// The v1 writer (spec 5.2.1): byte-identical to Python 3.11's
//   gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=L, mtime=M [, filename=NAME])
// which writes (Lib/gzip.py, _write_gzip_header / write / close):
//   header  1f 8b 08 FLG MTIME(4, LE) XFL OS=ff [FNAME NUL]     (RFC 1952 2.3; FLG 00 without a
//           filename, as Metaflow writes it: R-W1-3)
//   data    zlib.compressobj(L, DEFLATED, -MAX_WBITS, DEF_MEM_LEVEL=8, 0): raw deflate
//   trailer CRC32(4, LE) ISIZE(4, LE, size mod 2^32)
// The deflate data comes from the engine the options name (deflater.hpp): zlib by default, whose
// output does not depend on how the input is split into calls, so any split of write() calls
// gives Python's bytes (checked by the tests); ISA-L or libdeflate when asked for speed.
#include <cstring>
#include <memory>
#include <string>

#include "casblob/experimental/gzip.hpp"
#include "codecs/crc32.hpp"
#include "codecs/deflater.hpp"

namespace casblob {
namespace {

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

std::unique_ptr<detail::Deflater> make_deflater(GzipEngine e) {
  switch (e) {
    case GzipEngine::isal: return detail::make_isal_deflater();
    case GzipEngine::libdeflate: return detail::make_libdeflate_deflater();
    case GzipEngine::zlib: break;
  }
  return detail::make_zlib_deflater();
}

}  // namespace

std::string_view name(GzipEngine e) noexcept {
  switch (e) {
    case GzipEngine::zlib: return "zlib";
    case GzipEngine::isal: return "isal";
    case GzipEngine::libdeflate: return "libdeflate";
  }
  return "unknown";
}

std::optional<GzipEngine> gzip_engine_from_name(std::string_view n) noexcept {
  for (GzipEngine e : {GzipEngine::zlib, GzipEngine::isal, GzipEngine::libdeflate})
    if (name(e) == n) return e;
  return std::nullopt;
}

struct GzipWriter::Impl {
  Sink* out;
  GzipWriteOptions opts;
  std::unique_ptr<detail::Deflater> deflater;  // kept across reset() while the engine stays
  GzipEngine engine = GzipEngine::zlib;
  bool header_done = false, finished = false;
  Status failed;  // first error, returned again by every later call
  std::uint32_t crc = 0;
  std::uint64_t size = 0;

  Impl(Sink& o, GzipWriteOptions op) { reset(o, std::move(op)); }

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

  // Header (RFC 1952 2.3): written before the first data, as Python does in __init__. One
  // member, CM 8, FLG without reserved bits, XFL and OS as Python writes them (R-W1-1, R-W1-2,
  // R-W1-4).
  Status header() {
    if (header_done) return {};
    header_done = true;
    if (!deflater || engine != opts.engine) {
      deflater = make_deflater(opts.engine);
      engine = opts.engine;
    }
    Status s = deflater->start(opts.level, *out);
    if (!s) return fail(s.error());
    std::string fname = opts.file_name ? python_fname(*opts.file_name) : std::string{};
    std::uint8_t fixed[10] = {0x1f, 0x8b, 0x08, static_cast<std::uint8_t>(fname.empty() ? 0 : 0x08)};
    for (int i = 0; i < 4; ++i) fixed[4 + i] = static_cast<std::uint8_t>(opts.mtime >> (8 * i));
    // XFL: Python 3.11 writes 2 for level 9 (_COMPRESS_LEVEL_BEST), 4 for level 1, else 0.
    fixed[8] = opts.level == 9 ? 2 : opts.level == 1 ? 4 : 0;
    fixed[9] = 0xff;  // OS: 255 "unknown", Python's constant
    s = out->write(ByteView(fixed, sizeof fixed));
    if (s && !fname.empty()) s = out->write(ByteView(reinterpret_cast<const std::uint8_t*>(fname.c_str()), fname.size() + 1));
    if (!s) return fail(s.error());
    return {};
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
  w.crc = detail::crc32(w.crc, data.data(), data.size());
  w.size += data.size();
  Status s = w.deflater->write(data);
  return s ? s : w.fail(s.error());
}

Status GzipWriter::finish() {
  Impl& w = *impl_;
  if (!w.failed.ok()) return w.failed;
  if (w.finished) return w.fail(Error(Errc::usage, "gzip: finish() called twice"));
  CASBLOB_TRY(w.header());
  w.finished = true;
  Status s = w.deflater->finish();
  if (!s) return w.fail(s.error());
  // Trailer (RFC 1952 2.3.1): CRC32 and ISIZE = size mod 2^32.
  std::uint8_t t[8];
  for (int i = 0; i < 4; ++i) {
    t[i] = static_cast<std::uint8_t>(w.crc >> (8 * i));
    t[4 + i] = static_cast<std::uint8_t>(w.size >> (8 * i));
  }
  s = w.out->write(ByteView(t, sizeof t));
  if (!s) return w.fail(s.error());
  return {};
}

}  // namespace casblob
