// The v1 payload decoder (spec 5.2.2, RFC 1952), laid out in the order of the format:
// member header (2.3: ID1 ID2 CM FLG MTIME XFL OS [XLEN extra] [FNAME] [FCOMMENT] [CRC16]),
// deflate data (raw inflate, RFC 1951), trailer (CRC32 ISIZE), then what may follow a member
// (another member, NUL padding, or trailing bytes).
//
// Streaming: header and trailer fields are taken one byte at a time (they are a few bytes),
// the deflate data and FEXTRA are consumed in bulk. State lives in the decoder only, so any
// chunking of the input, down to single bytes, gives the same output, errors and report.
//
// Errors follow the strict reader's step 9 (spec 5.2.2, R-R1-1..8); each one names the byte
// offset. GzipReadOptions switches off what Python 3.11's gzip module does not check. A zlib
// return that is neither progress nor a verdict on the data (Z_MEM_ERROR, Z_STREAM_ERROR, a
// failed init) is a final io_error: never "needs more input", which would loop (issue 11).
//
// Reuse: reset() starts a new input on the same zlib stream (inflateReset) and output buffer,
// so a long-lived owner pays inflateInit2 and its allocations once, not per blob. To a
// DirectSink (direct_sink.hpp) inflate writes in place, without the output buffer's copy.
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "casblob/experimental/direct_sink.hpp"
#include "casblob/experimental/gzip.hpp"
#include "codecs/crc32.hpp"
#include "common/buffer.hpp"
#include "common/fault_injection.hpp"

namespace casblob {
namespace {

// Inflate output, handed to the sink piece by piece: small enough to stay in L2 between
// inflate writing it and the sink reading it (a cold 1 MiB buffer runs at a sixth of the
// speed on the bench machine, issue 19), large enough that zlib's 32 KiB window copy at the
// end of each inflate() call stays under 1 % of the work.
constexpr std::size_t kOutChunk = 64 * 1024;
// A DirectSink is asked for room growing with the output, from kFirstRoom (a 234-byte blob
// must not make the sink grow and zero 64 KiB) to kDirectChunk per inflate() call: larger than
// kOutChunk, as there is no copy to keep warm, and the CRC still reads from L2 (bench: 6 %
// faster on 1 MB of text than 64 KiB calls, equal on 8 MB of float64).
constexpr std::size_t kFirstRoom = 4 * 1024;
constexpr std::size_t kDirectChunk = 256 * 1024;
// The rest of a room is used while it holds this much (and a quarter of what room() would be
// asked for): below it, inflate() calls would get small outputs.
constexpr std::size_t kMinRoomLeft = 1024;
constexpr std::size_t kMaxReportedMembers = 4096;  // the report stays bounded (spec 10.1)
constexpr std::size_t kMaxFieldBytes = 65536;      // FNAME/FCOMMENT kept in the report

// FLG bits (RFC 1952 2.3.1); FTEXT (0x01) is a hint no reader acts on.
constexpr std::uint8_t FHCRC = 0x02, FEXTRA = 0x04, FNAME = 0x08, FCOMMENT = 0x10,
                       FRESERVED = 0xE0;

enum class St {
  start,        // first member: expecting ID1
  id2,          // got ID1 (0x1f), expecting ID2
  fixed,        // CM FLG MTIME(4) XFL OS: 8 bytes
  xlen,         // FEXTRA length, 2 bytes
  extra,        // FEXTRA payload
  name,         // FNAME, zero-terminated
  comment,      // FCOMMENT, zero-terminated
  hcrc,         // CRC16 of the header, 2 bytes
  data,         // deflate
  trailer,      // CRC32 ISIZE, 8 bytes
  after,        // after a member: padding, next member, or trailing data
  trailing,     // stop_at_trailing_data: the rest is recorded, not decoded
  failed,
};

std::string at(std::uint64_t off) { return " at byte " + std::to_string(off); }

}  // namespace

struct GzipDecoder::Impl {
  Sink* out;
  DirectSink* direct = nullptr;  // out, when it lends its memory
  GzipReadOptions opts;
  GzipReport report;
  St st = St::start;
  Status error;

  z_stream zs{};
  bool zs_ready = false;  // inflateInit2 succeeded; kept across reset()
  detail::ScratchBuffer obuf;
  // What is left of the DirectSink's last room after the bytes committed from it: inflate
  // writes on into it until it runs short (a call of room() per inflate() call was ~9 % of the
  // gzip reader fuzzer, fed one byte at a time).
  std::span<std::uint8_t> room_left;

  std::uint64_t pos = 0;          // input offset of the next byte
  std::uint64_t tentative = 0;    // offset where the bytes after a member began (trailing)
  GzipMemberInfo m;               // member being decoded
  std::uint8_t field[8] = {};     // bytes of the fixed-size field being collected
  std::size_t have = 0;           // bytes of `field` collected, or of FEXTRA consumed
  std::uint32_t hcrc = 0;         // CRC32 of the header bytes so far (FHCRC covers them)
  std::uint32_t crc = 0;          // CRC32 of the member's decoded data
  std::uint64_t msize = 0;        // decoded bytes of the member
  std::uint64_t data_start = 0;   // offset of the member's deflate data

  Impl(Sink& o, GzipReadOptions op) { reset(o, op); }
  ~Impl() {
    if (zs_ready) inflateEnd(&zs);
  }

  // Everything but the zlib stream and the buffer goes back to a fresh decoder's state.
  void reset(Sink& o, GzipReadOptions op) {
    out = &o;
    direct = lending_sink(o);
    room_left = {};
    opts = op;
    auto members = std::move(report.members);  // its capacity is kept for the next input
    members.clear();
    report = GzipReport{};
    report.members = std::move(members);
    st = St::start;
    error = Status{};
    pos = tentative = 0;
    m = GzipMemberInfo{};
    have = 0;
    hcrc = crc = 0;
    msize = data_start = 0;
  }

  Status fail(Detail d, const std::string& what) {
    st = St::failed;
    error = Error(Errc::corrupt, "gzip: " + what, d);
    return error;
  }
  Status fail_with(const Error& e) {
    st = St::failed;
    error = e;
    return error;
  }

  void header_byte(std::uint8_t b) { hcrc = detail::crc32(hcrc, &b, 1); }

  void begin_member(std::uint64_t off) {
    m = GzipMemberInfo{};
    m.offset = off;
    const std::uint8_t magic[2] = {0x1f, 0x8b};
    hcrc = detail::crc32(0, magic, 2);
    have = 0;
  }

  // After the fixed part or a field ends: go to the next optional field the flags announce
  // (R-R1-2: FEXTRA, FNAME, FCOMMENT parsed and skipped; R-R1-3: FHCRC checked).
  Status next_field(St done) {
    const std::uint8_t f = m.flags;
    if (done <= St::fixed && (f & FEXTRA)) { st = St::xlen; have = 0; return {}; }
    if (done <= St::extra && (f & FNAME)) { st = St::name; m.file_name.emplace(); return {}; }
    if (done <= St::name && (f & FCOMMENT)) { st = St::comment; m.comment.emplace(); return {}; }
    if (done <= St::comment && (f & FHCRC)) { st = St::hcrc; have = 0; return {}; }
    return start_data();
  }

  Status zlib_failure(const char* call, int rc) {
    return fail_with(Error(Errc::io_error, std::string("gzip: zlib ") + call + " failed (" +
                                               (rc == Z_MEM_ERROR ? "out of memory" : "error " + std::to_string(rc)) +
                                               ")"));
  }

  // The inflate stream for a member's deflate data: made once, reset per member.
  Status start_data() {
    m.header_size = pos - m.offset;
    data_start = pos;
    crc = 0;
    msize = 0;
    if (zs_ready) {
      int rc = inflateReset(&zs);
      if (rc != Z_OK) {
        inflateEnd(&zs);
        zs_ready = false;
        return zlib_failure("inflateReset", rc);
      }
    } else {
      zs = z_stream{};
      zs.zalloc = detail::fault::zalloc;
      zs.zfree = detail::fault::zfree;
      int rc = inflateInit2(&zs, -MAX_WBITS);  // raw deflate: RFC 1952 carries no zlib wrapper
      if (rc != Z_OK) return zlib_failure("inflateInit2", rc);
      zs_ready = true;
    }
    if (!direct && !obuf.ensure(kOutChunk)) return fail_with(Error(Errc::io_error, "gzip: out of memory"));
    st = St::data;
    return {};
  }

  // One header/trailer/after-member byte. Returns an error or ok.
  Status byte(std::uint8_t b) {
    const std::uint64_t off = pos;
    ++pos;
    switch (st) {
      case St::start:  // ID1 of the first member
        if (b != 0x1f) return fail(Detail::bad_magic, "not a gzip file (ID1 is not 1f)" + at(off));
        begin_member(off);
        st = St::id2;
        return {};
      case St::id2:
        if (b != 0x8b) {
          if (report.member_count == 0)
            return fail(Detail::bad_magic, "not a gzip file (ID2 is not 8b)" + at(off));
          return trailing(off - 1, "bytes after the last member are not a gzip member");
        }
        have = 0;
        st = St::fixed;
        return {};
      case St::fixed:
        header_byte(b);
        field[have++] = b;
        if (have == 1) {  // CM (RFC 1952 2.3.1): 8 = deflate is the only method
          m.method = b;
          if (b != 8) return fail(Detail::header, "compression method " + std::to_string(b) + " is not deflate (8)" + at(off));
        } else if (have == 2) {  // FLG: reserved bits "must be zero" (2.3.1.2)
          m.flags = b;
          if ((b & FRESERVED) && opts.reject_reserved_flags)
            return fail(Detail::header, "reserved FLG bits set" + at(off));
        } else if (have == 8) {
          m.mtime = std::uint32_t{field[2]} | std::uint32_t{field[3]} << 8 |
                    std::uint32_t{field[4]} << 16 | std::uint32_t{field[5]} << 24;
          m.xfl = field[6];
          m.os = field[7];
          return next_field(St::fixed);
        }
        return {};
      case St::xlen:
        header_byte(b);
        field[have++] = b;
        if (have == 2) {
          m.extra_length = std::uint32_t{field[0]} | std::uint32_t{field[1]} << 8;
          have = 0;
          st = St::extra;
          if (*m.extra_length == 0) return next_field(St::extra);
        }
        return {};
      case St::name:
      case St::comment: {
        header_byte(b);
        std::string& s = st == St::name ? *m.file_name : *m.comment;
        if (b == 0) return next_field(st);
        if (s.size() < kMaxFieldBytes) {
          s.push_back(static_cast<char>(b));
        }
        return {};
      }
      case St::hcrc:
        field[have++] = b;
        if (have == 2) {
          std::uint16_t stored = static_cast<std::uint16_t>(field[0] | field[1] << 8);
          m.header_crc = stored;
          // FHCRC: the two least significant bytes of the CRC32 of the header (2.3.1).
          if (opts.verify_header_crc && stored != (hcrc & 0xFFFF))
            return fail(Detail::header, "header CRC16 mismatch" + at(off - 1));
          return start_data();
        }
        return {};
      case St::trailer:
        field[have++] = b;
        if (have == 8) {
          m.crc32 = std::uint32_t{field[0]} | std::uint32_t{field[1]} << 8 |
                    std::uint32_t{field[2]} << 16 | std::uint32_t{field[3]} << 24;
          m.isize = std::uint32_t{field[4]} | std::uint32_t{field[5]} << 8 |
                    std::uint32_t{field[6]} << 16 | std::uint32_t{field[7]} << 24;
          if (m.crc32 != crc)
            return fail(Detail::checksum, "CRC32 mismatch in member trailer" + at(off - 7));
          if (m.isize != static_cast<std::uint32_t>(msize))
            return fail(Detail::size_mismatch, "ISIZE does not match the decoded length" + at(off - 4));
          m.decoded_size = msize;
          if (report.members.size() < kMaxReportedMembers) report.members.push_back(m);
          ++report.member_count;
          st = St::after;
        }
        return {};
      case St::after:
        // Between/after members (RFC 1952 2.2 members concatenate; gzip(1) and Python skip
        // NUL padding); anything else is trailing data.
        if (b == 0 && opts.allow_zero_padding) {
          ++report.padding_bytes;
          return {};
        }
        if (b == 0x1f && opts.multi_member) {
          begin_member(off);
          st = St::id2;
          return {};
        }
        return trailing(off, "bytes after the last member are not a gzip member");
      default:
        return {};
    }
  }

  Status trailing(std::uint64_t from, const std::string& what) {
    if (opts.stop_at_trailing_data) {
      tentative = from;
      st = St::trailing;
      return {};
    }
    return fail(Detail::trailing_data, what + at(from));
  }

  // Deflate data: as much of `in` as inflate takes. Returns the bytes consumed.
  Result<std::size_t> inflate_some(ByteView in) {
    std::size_t used = 0;
    // After a call that filled the output, zlib may hold output (and an error after it) for
    // input it has already taken: call it again, without input, until it has room to spare.
    // Otherwise a chunk that ends there leaves the error to finish(), which can only say
    // "truncated" (decode_blob-sized rooms made it depend on chunking; found by
    // gzip_reader_fuzzer).
    bool output_full = false;
    while (used < in.size() || output_full) {
      uInt piece = static_cast<uInt>(std::min<std::size_t>(in.size() - used, 1u << 30));
      std::uint8_t* dst = obuf.data();
      std::size_t cap = kOutChunk;
      if (direct) {
        const std::size_t want = std::clamp<std::size_t>(report.decoded_size, kFirstRoom, kDirectChunk);
        if (room_left.size() < kMinRoomLeft || room_left.size() < want / 4) {
          auto r = direct->room(want);
          if (!r) return fail_with(r.error()).error();
          room_left = *r;
        }
        dst = room_left.data();
        cap = std::min(room_left.size(), kDirectChunk);
      }
      zs.next_in = const_cast<Bytef*>(in.data() + used);
      zs.avail_in = piece;
      zs.next_out = dst;
      zs.avail_out = static_cast<uInt>(cap);
      int rc = inflate(&zs, Z_NO_FLUSH);
      std::size_t took = piece - zs.avail_in;
      used += took;
      pos += took;
      std::size_t n = cap - zs.avail_out;
      output_full = zs.avail_out == 0;
      if (n > 0) {
        crc = detail::crc32(crc, dst, n);
        msize += n;
        report.decoded_size += n;
        Status s = direct ? direct->commit(n) : out->write(ByteView(dst, n));
        if (!s) return fail_with(s.error()).error();
        if (direct) room_left = room_left.subspan(n);
      }
      switch (rc) {
        case Z_STREAM_END:
          m.compressed_size = pos - data_start;
          have = 0;
          st = St::trailer;
          return used;
        case Z_OK:
        case Z_BUF_ERROR:  // progress, or all input taken: the loop condition decides
          // Input left, room to write, and nothing happened: zlib is stuck; calling it
          // again would loop forever.
          if (took == 0 && n == 0) {
            if (piece == 0) return used;  // drained: nothing pending
            return zlib_failure("inflate (no progress)", rc).error();
          }
          break;
        case Z_DATA_ERROR:  // R-R1-4
          return fail(Detail::data, std::string("invalid deflate data (") + (zs.msg ? zs.msg : "?") +
                                        ") in the member" + at(m.offset)).error();
        default:  // Z_MEM_ERROR (window allocation), Z_STREAM_ERROR, Z_NEED_DICT (never for raw)
          return zlib_failure("inflate", rc).error();
      }
    }
    return used;
  }

  // input_size counts the bytes consumed (up to an error), so it does not depend on chunking.
  Status update(ByteView in) {
    Status s = consume(in);
    report.input_size = pos;
    return s;
  }

  Status consume(ByteView in) {
    std::size_t i = 0;
    while (i < in.size()) {
      switch (st) {
        case St::failed:
          return error;
        case St::trailing:  // recorded, not decoded
          pos += in.size() - i;
          return {};
        case St::data: {
          auto r = inflate_some(in.subspan(i));
          if (!r) return r.error();
          i += *r;
          break;
        }
        case St::extra: {  // FEXTRA payload, skipped in bulk (its subfields are not checked)
          std::size_t take = std::min<std::size_t>(in.size() - i, *m.extra_length - have);
          hcrc = detail::crc32(hcrc, in.data() + i, take);
          have += take;
          pos += take;
          i += take;
          if (have == *m.extra_length) {
            Status s = next_field(St::extra);
            if (!s) return s;
          }
          break;
        }
        case St::name:
        case St::comment: {  // zero-terminated: scanned and CRC'd in bulk, not a byte at a time
          // (F25/F26: a CRC32 call per byte made a 10 GB FNAME 200 s of CPU).
          const std::uint8_t* start = in.data() + i;
          const std::size_t left = in.size() - i;
          const auto* nul = static_cast<const std::uint8_t*>(std::memchr(start, 0, left));
          const std::size_t take = nul ? static_cast<std::size_t>(nul - start) : left;
          hcrc = detail::crc32(hcrc, start, take);
          std::string& field_text = st == St::name ? *m.file_name : *m.comment;
          const std::size_t keep = std::min(take, kMaxFieldBytes - std::min(kMaxFieldBytes, field_text.size()));
          field_text.append(reinterpret_cast<const char*>(start), keep);
          pos += take;
          i += take;
          if (nul) {  // the terminator, through byte(): it ends the field
            Status s = byte(in[i]);
            ++i;
            if (!s) return s;
          }
          break;
        }
        default: {
          Status s = byte(in[i]);
          ++i;
          if (!s) return s;
        }
      }
    }
    return st == St::failed ? error : Status{};
  }

  // R-R1-6: input that ends inside a member (header, optional field, deflate data, trailer) is
  // truncated.
  Status finish() {
    switch (st) {
      case St::failed:
        return error;
      case St::after:
        return {};
      case St::trailing:
        report.trailing_bytes = pos - tentative;
        return {};
      case St::start:
        // Empty input: Python's GzipFile reads it as b"" (hazard H-EMPTY); strict: truncated.
        if (opts.allow_empty_input) return {};
        return fail(Detail::truncated, "empty input" + at(0));
      case St::data:
        return fail(Detail::truncated, "input ends inside deflate data" + at(pos));
      default:
        return fail(Detail::truncated, "input ends inside a member header or trailer" + at(pos));
    }
  }
};

GzipReadOptions GzipReadOptions::python_compatible() {
  GzipReadOptions o;
  o.allow_empty_input = true;
  o.verify_header_crc = false;
  o.reject_reserved_flags = false;
  return o;
}

GzipDecoder::GzipDecoder(Sink& out, GzipReadOptions opts) : impl_(std::make_unique<Impl>(out, opts)) {}
GzipDecoder::~GzipDecoder() = default;
Status GzipDecoder::update(ByteView in) { return impl_->update(in); }
Status GzipDecoder::finish() { return impl_->finish(); }
const GzipReport& GzipDecoder::report() const { return impl_->report; }
void GzipDecoder::reset(Sink& out, GzipReadOptions opts) { impl_->reset(out, opts); }

}  // namespace casblob
