// The v2 payload decoder (spec 5.4.2), our own parser of lz4_Frame_format.md laid out in the
// order of the format: magic, frame descriptor (FLG BD [content size] [dict id] HC), data
// blocks (size word with the uncompressed bit, data, [block checksum]), EndMark, [content
// checksum]; skippable frames; what follows a frame. liblz4 only decodes block contents
// (LZ4_decompress_safe / _usingDict), XXH32 is ours (xxhash32.hpp).
//
// Streaming with bounded memory: a block is decoded when all of its bytes are there, straight
// from the caller's chunk when it holds the whole block, else from a block-sized buffer.
// Linked blocks (FLG.B.Indep = 0) need the previous 64 KB of output: blocks are decoded into
// a history buffer right after that window (a contiguous prefix, liblz4's fast path) and the
// window is moved to the front when the buffer fills. So memory is O(block size) and any
// chunking of the input, down to single bytes, gives the same output, errors and report.
//
// Output goes one of two ways. To a plain Sink: decoded into the history buffer, then
// write(). To a DirectSink (direct_sink.hpp): decoded in place into the sink's memory, whose
// last 64 KB are the window, so there is no history buffer and no second copy (what
// LZ4F_decompress does into its caller's buffer).
//
// Buffers are sized to the input: a frame that stores its content size gets no more history
// than that, and a block is decoded with room for no more than the content still to come
// (or more, when the buffer has it). A block that liblz4 rejects in a room smaller than the
// block maximum is decoded again with the full block room, so that the verdict is liblz4's
// with a block-sized room whatever the buffer sizes (decode_compressed). reset() keeps the
// buffers for the next input.
//
// Errors follow the strict reader's step 10 (spec 5.4.2, R-R2-1..9); Lz4ReadOptions relaxes
// what python-lz4 4.0.2 (liblz4 1.9.4 LZ4F_decompress on the first frame) does not check.
#include <lz4.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "casblob/experimental/direct_sink.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "codecs/xxhash32.hpp"
#include "common/buffer.hpp"

namespace casblob {
namespace {

constexpr std::size_t kWindow = 64 * 1024;        // lz4 match distance limit
static_assert(kDirectHistory >= kWindow, "a DirectSink must keep the whole lz4 window");
// Linked blocks: room after the window in the history buffer, in blocks. Each time it fills,
// the last 64 KB move to the front: 2 blocks of room move 0.5 bytes per output byte (bench:
// within noise of more room, and 192 KB for 64 KB blocks stays in L2, where 1 MiB did not).
constexpr std::size_t kRoomBlocks = 2;
constexpr std::size_t kMaxReported = 4096;        // frames kept in the report, and blocks in all
                                                  // frames together (F9: 4096 frames x 4096 empty
                                                  // blocks must not cost 400 MB of report)
constexpr std::uint8_t kFrameMagicLE[4] = {0x04, 0x22, 0x4D, 0x18};
constexpr std::uint8_t kSkipMagicLE[3] = {0x2A, 0x4D, 0x18};  // after the 0x5? byte

enum class St {
  magic,        // 4 bytes: frame, skippable, or something else
  descriptor,   // FLG BD [8 content size] [4 dict id] HC
  skip_size,    // skippable frame: 4-byte size
  skip,         // skippable frame payload
  block_size,   // 4-byte block size word (0 = EndMark)
  block,        // block data [+ 4-byte block checksum]
  content_crc,  // 4-byte content checksum
  trailing,     // ignored rest of the input (ignore_trailing_data)
  failed,
};

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

std::string at(std::uint64_t off) { return " at byte " + std::to_string(off); }

}  // namespace

struct Lz4Decoder::Impl {
  Sink* out;
  DirectSink* direct = nullptr;     // out, when it lends its memory
  Lz4ReadOptions opts;
  Lz4Report report;
  St st = St::magic;
  Status error;

  std::uint64_t pos = 0;            // input offset of the next byte
  std::uint64_t unit_start = 0;     // offset of the frame / field / block being read
  std::uint8_t small[16] = {};      // magic, descriptor, size words, checksums
  std::size_t have = 0;             // bytes of `small` (or of a skipped payload) collected
  std::size_t need = 0;             // bytes the current small field needs
  bool counted_frame_done = false;  // a frame that counts for multi_frame=false has ended
  Lz4FrameInfo f;                   // frame being decoded
  std::size_t reported_blocks = 0;  // block entries kept in the report, over all frames
  std::vector<Lz4BlockInfo> spare_blocks;  // memory for the next frame's block list

  // Blocks.
  std::uint32_t bsize = 0;          // stored size of the current block
  bool braw = false;                // uncompressed bit
  detail::ScratchBuffer ibuf;       // block bytes when they arrive over several chunks
  std::size_t ihave = 0;
  detail::ScratchBuffer hist;       // plain Sink: decoded output; linked: 64 KB window + room
  std::size_t hpos = 0;             // end of this frame's decoded bytes in `hist` (from 0)
  std::size_t hist_cap = 0;         // what this frame may need of it (grown up to as output comes)
  detail::ScratchBuffer spill;      // a block that overflowed its room, decoded again (errors only)
  detail::Xxh32 content_hash;
  std::uint64_t skip_left = 0;

  Impl(Sink& o, Lz4ReadOptions op) { reset(o, op); }

  // A fresh decoder's state, keeping the buffers.
  void reset(Sink& o, Lz4ReadOptions op) {
    out = &o;
    direct = lending_sink(o);
    opts = op;
    auto frames = std::move(report.frames);  // its capacity is kept for the next input
    // And the first frame's block list, for the next input's first frame: most blobs are one
    // frame, which then costs no allocation for its blocks (issue 19).
    if (!frames.empty()) spare_blocks = std::move(frames.front().blocks);
    frames.clear();
    report = Lz4Report{};
    report.frames = std::move(frames);
    st = St::magic;
    error = Status{};
    pos = unit_start = 0;
    have = need = 0;
    counted_frame_done = false;
    f = Lz4FrameInfo{};
    reported_blocks = 0;
    bsize = 0;
    braw = false;
    ihave = hpos = 0;
    skip_left = 0;
  }

  Status fail(Detail d, const std::string& what) {
    st = St::failed;
    error = Error(Errc::corrupt, "lz4: " + what, d);
    return error;
  }
  Status fail_with(const Error& e) {
    st = St::failed;
    error = e;
    return error;
  }

  bool first_unit() const { return report.frame_count == 0; }

  // Bytes after the last frame that do not start a frame.
  Status not_a_frame(const std::string& what) {
    if (first_unit()) return fail(Detail::bad_magic, what + at(unit_start));
    if (opts.ignore_trailing_data) {
      st = St::trailing;
      return {};
    }
    return fail(Detail::trailing_data, "bytes after the last frame are not a frame" + at(unit_start));
  }

  // ---- magic ----------------------------------------------------------------------------

  // One byte of a magic number; each byte must extend the frame or skippable magic (R-R2-7: at
  // a frame boundary, an lz4 frame or a skippable frame; R-R2-9: anything else after a frame is
  // trailing data).
  Status magic_byte(std::uint8_t b) {
    if (have == 0) unit_start = pos;
    small[have++] = b;
    ++pos;
    const bool frame = std::memcmp(small, kFrameMagicLE, have) == 0;
    const bool skippable = (small[0] & 0xF0) == 0x50 && std::memcmp(small + 1, kSkipMagicLE, have - 1) == 0;
    if (!frame && !skippable) {
      // Checked byte by byte so that the verdict does not depend on chunking. The legacy
      // format (magic 0x184C2102, `lz4 -l`) is not a frame: bad_magic like any other.
      if (small[0] == 0x02)
        return not_a_frame("not an lz4 frame (legacy lz4 format magic 0x184C2102?)");
      return not_a_frame("not an lz4 frame (bad magic number)");
    }
    if (have < 4) return {};
    return magic_complete(skippable);
  }

  // The four magic bytes are in `small`: a frame or a skippable frame begins.
  Status magic_complete(bool skippable) {
    have = 0;
    // A new frame after one that ended, when only one may be decoded.
    if (counted_frame_done && !(skippable && opts.skip_skippable))
      return not_a_frame("a further frame after the first");
    f = Lz4FrameInfo{};
    f.blocks = std::move(spare_blocks);  // empty, or an earlier input's first frame's list
    f.blocks.clear();
    f.offset = unit_start;
    if (skippable) {
      f.skippable = true;
      f.skippable_magic = le32(small);
      st = St::skip_size;
    } else {
      st = St::descriptor;
      need = 3;  // FLG BD HC at least; grows with the FLG bits
    }
    return {};
  }

  // Called when a frame (data or skippable) is complete.
  void end_frame() {
    const bool counts = !f.skippable || !opts.skip_skippable;
    ++report.frame_count;
    if (f.skippable) ++report.skippable_count;
    if (report.frames.size() < kMaxReported) report.frames.push_back(std::move(f));
    if (counts) counted_frame_done = !opts.multi_frame;
    if (counted_frame_done && opts.ignore_trailing_data) {
      unit_start = pos;
      st = St::trailing;
    } else {
      st = St::magic;
    }
    have = 0;
  }

  // ---- frame descriptor -----------------------------------------------------------------

  // Each descriptor byte is judged as soon as it is read (R-R2-1), so a DictID frame is
  // corrupt/header even when the input ends before the dictionary id itself; the byte-wise
  // path and the whole-descriptor path (descriptor_at_once) run the same three checks in
  // the same order, so the verdict does not depend on chunking.

  // FLG: version 01, reserved bit 1 zero. Sets how many bytes the descriptor has.
  Status check_flg(std::uint8_t b, std::uint64_t off) {
    f.flg = b;
    f.version = b >> 6;
    if (f.version != 1) return fail(Detail::header, "frame version " + std::to_string(f.version) + " is not 01" + at(off));
    if (b & 0x02) return fail(Detail::header, "reserved FLG bit set" + at(off));
    if ((b & 0x01) && opts.reject_dict_id)
      return fail(Detail::header, "FLG.DictID set: casblob frames never use a dictionary" + at(off));
    f.independent_blocks = b & 0x20;
    f.block_checksum = b & 0x10;
    f.content_checksum = b & 0x04;
    need = 3 + ((b & 0x08) ? 8 : 0) + ((b & 0x01) ? 4 : 0);
    return {};
  }

  // BD: reserved bits 7 and 3..0 zero, block max size id 4..7.
  Status check_bd(std::uint8_t b, std::uint64_t off) {
    f.bd = b;
    if ((b & 0x8F) != 0) return fail(Detail::header, "reserved BD bits set" + at(off));
    int id = (b >> 4) & 7;
    if (id < 4) return fail(Detail::header, "block maximum size id " + std::to_string(id) + " is not 4..7" + at(off));
    f.block_max_size = std::uint32_t{1} << (8 + 2 * id);
    return {};
  }

  // HC, the descriptor's last byte (`need` bytes are in `small`): the second byte of
  // XXH32(descriptor from FLG to before HC, seed 0).
  Status check_hc(std::uint64_t off) {
    const std::uint8_t b = small[need - 1];
    f.header_checksum = b;
    std::uint8_t hc = static_cast<std::uint8_t>(detail::xxh32(small, need - 1, 0) >> 8);
    if (hc != b) return fail(Detail::header, "frame header checksum mismatch" + at(off));
    std::size_t p = 2;
    if (f.flg & 0x08) {
      std::uint64_t cs = 0;
      for (int i = 7; i >= 0; --i) cs = cs << 8 | small[p + i];
      f.content_size = cs;
      p += 8;
    }
    if (f.flg & 0x01) f.dict_id = le32(small + p);  // only with reject_dict_id = false
    start_blocks();
    return {};
  }

  Status descriptor_byte(std::uint8_t b) {
    const std::uint64_t off = pos++;
    small[have++] = b;
    if (have == 1) return check_flg(b, off);
    if (have == 2) return check_bd(b, off);
    if (have < need) return {};
    return check_hc(off);
  }

  // The whole descriptor when the chunk holds it (`avail` bytes at p, none read yet): what
  // descriptor_byte concludes on its last byte, in one call instead of 3 to 15 (issue 19:
  // ~7% of a 234 B v2 read). Returns the bytes taken; 0 = too few here, read byte by byte.
  std::size_t descriptor_at_once(const std::uint8_t* p, std::size_t avail, Status& s) {
    const std::uint64_t off = pos;
    if (avail < 3) return 0;
    const std::size_t n = 3 + ((p[0] & 0x08) ? 8 : 0) + ((p[0] & 0x01) ? 4 : 0);
    if (avail < n) return 0;
    std::memcpy(small, p, n);
    // pos and have as descriptor_byte leaves them after the byte that decides
    have = 1;
    pos = off + 1;
    if (!(s = check_flg(p[0], off))) return 1;
    have = 2;
    pos = off + 2;
    if (!(s = check_bd(p[1], off + 1))) return 2;
    have = n;
    pos = off + n;
    s = check_hc(off + n - 1);
    return n;
  }

  Status out_of_memory() { return fail_with(Error(Errc::io_error, "lz4: out of memory")); }

  // The content size when it bounds the output (R-R2-5), else nothing.
  std::optional<std::uint64_t> checked_size() const {
    if (f.content_size && !size_unchecked()) return f.content_size;
    return std::nullopt;
  }

  void start_blocks() {
    hpos = 0;
    // Linked blocks keep a 64 KB window before the block being decoded. A stored content size
    // bounds what a valid frame needs; the buffer grows to this as the output does.
    std::uint64_t cap = f.independent_blocks ? f.block_max_size : kWindow + kRoomBlocks * f.block_max_size;
    if (auto c = checked_size()) cap = std::min(cap, *c);
    hist_cap = static_cast<std::size_t>(cap);
    if (f.content_checksum) content_hash.reset(0);
    st = St::block_size;
    have = 0;
  }

  // ---- blocks ---------------------------------------------------------------------------

  Status block_size_byte(std::uint8_t b) {
    if (have == 0) unit_start = pos;
    small[have++] = b;
    ++pos;
    if (have < 4) return {};
    return block_size_complete();
  }

  // The four bytes of a block size (or the end mark) are in `small`.
  Status block_size_complete() {
    have = 0;
    std::uint32_t word = le32(small);
    if (word == 0) return end_mark();
    braw = word & 0x80000000u;
    bsize = word & 0x7FFFFFFFu;
    if (bsize > f.block_max_size)
      return fail(Detail::data, "block of " + std::to_string(bsize) + " bytes exceeds the frame's maximum " +
                                    std::to_string(f.block_max_size) + at(unit_start));
    ihave = 0;
    st = St::block;
    // An empty uncompressed block (0x80000000) is a block like any other (liblz4 agrees).
    return {};
  }

  std::size_t block_stored() const { return bsize + (f.block_checksum ? 4u : 0u); }

  // Room for this block's output: a block never decodes to more than the block maximum, a
  // stored one to its size, a compressed one to 255 bytes per input byte at most (a match
  // length byte of 255), and a valid one not to more than the content still to come. So a
  // 300-byte frame with 4 MB blocks and no content size does not make 4 MB of room.
  std::size_t block_room() const {
    std::uint64_t room = std::min<std::uint64_t>(f.block_max_size, braw ? bsize : std::uint64_t{256} * bsize + 64);
    if (auto c = checked_size()) room = std::min<std::uint64_t>(room, *c - std::min(*c, f.decoded_size));
    return static_cast<std::size_t>(room);
  }

  // LZ4 block `data` into `dst` (capacity `cap`) with the `dict` bytes before dst as history.
  // The result, or the error when the block is invalid or does not fit.
  int lz4_block(const std::uint8_t* data, std::uint8_t* dst, std::size_t cap, std::size_t dict) const {
    auto* src = reinterpret_cast<const char*>(data);
    auto* d = reinterpret_cast<char*>(dst);
    if (dict == 0) return LZ4_decompress_safe(src, d, static_cast<int>(bsize), static_cast<int>(cap));
    return LZ4_decompress_safe_usingDict(src, d, static_cast<int>(bsize), static_cast<int>(cap),
                                         reinterpret_cast<const char*>(dst - dict), static_cast<int>(dict));
  }

  // A compressed block into `dst`, where `cap` bytes are free (at least block_room()), judged
  // as liblz4 judges it with the whole block room: liblz4's validity depends on the room it
  // is given (the last match must end 5 bytes before the end of the *room*, LASTLITERALS), so
  // when `cap` is smaller and liblz4 fails, the block is decoded again into a block-sized spill
  // buffer behind a copy of the window. Valid and fitting: its bytes are moved to `dst`; valid
  // but longer than `cap` (the content still to come): too long (R-R2-5); else invalid data
  // (R-R2-2). So the verdict never depends on how the buffers are sized.
  Result<std::size_t> decode_compressed(const std::uint8_t* data, std::uint8_t* dst, std::size_t cap,
                                        std::size_t dict, std::uint64_t boff) {
    cap = std::min<std::size_t>(cap, f.block_max_size);
    int k = lz4_block(data, dst, cap, dict);
    if (k >= 0) return static_cast<std::size_t>(k);
    if (cap < f.block_max_size) {
      if (!spill.ensure(kWindow + f.block_max_size)) return out_of_memory().error();
      if (dict) std::memcpy(spill.data(), dst - dict, dict);  // dst is null when the room is 0
      k = lz4_block(data, spill.data() + dict, f.block_max_size, dict);
      if (k >= 0 && static_cast<std::size_t>(k) <= cap) {
        if (k) std::memcpy(dst, spill.data() + dict, static_cast<std::size_t>(k));
        return static_cast<std::size_t>(k);
      }
      if (k >= 0) {
        f.decoded_size += static_cast<std::size_t>(k);
        report.decoded_size += static_cast<std::size_t>(k);
        return too_long(boff).error();
      }
    }
    return fail(Detail::data, "invalid lz4 block" + at(boff)).error();
  }

  // R-R2-5: reported as soon as the output passes the content size, before it is written.
  Status too_long(std::uint64_t boff) {
    return fail(Detail::size_mismatch,
                "frame decodes to more than its content size " + std::to_string(*f.content_size) + at(boff));
  }

  Status decode_block(const std::uint8_t* data) {
    const std::uint64_t boff = unit_start;
    std::optional<std::uint32_t> stored_crc;
    if (f.block_checksum) {  // R-R2-4: before the block is decoded
      stored_crc = le32(data + bsize);
      if (opts.verify_checksums && *stored_crc != detail::xxh32(data, bsize, 0))
        return fail(Detail::checksum, "block checksum mismatch in the block" + at(boff));
    }
    ++f.block_count;
    if (reported_blocks < kMaxReported) {
      f.blocks.push_back({boff, bsize, braw, stored_crc});
      ++reported_blocks;
    }

    const std::size_t room = block_room();
    if (braw && bsize > room) {  // stored bytes: valid by definition, so too long
      f.decoded_size += bsize;
      report.decoded_size += bsize;
      return too_long(boff);
    }
    // The frame's previous output (at most 64 KB) is the history of a linked block; a
    // reference before the frame's first byte is invalid data, as in liblz4 (R-R2-3).
    const std::size_t dict = f.independent_blocks ? 0 : static_cast<std::size_t>(std::min<std::uint64_t>(f.decoded_size, kWindow));

    const std::uint8_t* produced;
    std::size_t n;
    if (direct) {
      auto r = direct->room(std::max<std::size_t>(room, 1));
      if (!r) return fail_with(r.error());
      std::uint8_t* dst = r->data();
      if (braw) {
        std::memcpy(dst, data, bsize);
        n = bsize;
      } else {
        auto k = decode_compressed(data, dst, r->size(), dict, boff);
        if (!k) return k.error();
        n = *k;
      }
      produced = dst;
    } else if (f.independent_blocks) {
      if (braw) {
        produced = data;  // nothing to keep: pass the stored bytes through
        n = bsize;
      } else {
        if (!hist.ensure(room)) return out_of_memory();
        auto k = decode_compressed(data, hist.data(), hist.size(), 0, boff);
        if (!k) return k.error();
        produced = hist.data();
        n = *k;
      }
    } else {
      if (hpos + room > hist.size()) {  // keep the last 64 KB, at the front
        if (hist.size() < hist_cap) {   // of a larger buffer, while the frame may need one
          detail::ScratchBuffer bigger;
          if (!bigger.ensure(std::min(hist_cap, std::max(hpos + room, 2 * hist.size())))) return out_of_memory();
          if (dict) std::memcpy(bigger.data(), hist.data() + hpos - dict, dict);
          hist = std::move(bigger);
        } else if (dict) {
          std::memmove(hist.data(), hist.data() + hpos - dict, dict);
        }
        hpos = dict;
      }
      std::uint8_t* dst = hist.data() + hpos;
      if (braw) {
        // An empty stored block as the frame's first may find the history without memory
        // (dst null): no memcpy then (fuzz/regression #4).
        if (bsize) std::memcpy(dst, data, bsize);
        n = bsize;
      } else {
        auto k = decode_compressed(data, dst, hist.size() - hpos, dict, boff);
        if (!k) return k.error();
        n = *k;
      }
      produced = dst;
      hpos += n;
    }

    f.decoded_size += n;
    report.decoded_size += n;
    // The room given to the block may exceed what the content size leaves: checked here, as
    // soon as the output passes it and before it is written (R-R2-5).
    if (auto c = checked_size(); c && f.decoded_size > *c) return too_long(boff);
    if (f.content_checksum && opts.verify_checksums) content_hash.update(produced, n);
    Status s = direct ? direct->commit(n) : n > 0 ? out->write(ByteView(produced, n)) : Status{};
    if (!s) return fail_with(s.error());
    st = St::block_size;
    return {};
  }

  bool size_unchecked() const { return opts.content_size_zero_is_unknown && f.content_size == 0u; }

  Status end_mark() {
    if (f.content_size && f.decoded_size != *f.content_size && !size_unchecked())
      return fail(Detail::size_mismatch, "frame decodes to " + std::to_string(f.decoded_size) +
                                             " bytes, content size says " + std::to_string(*f.content_size) +
                                             at(unit_start));
    if (f.content_checksum) {
      st = St::content_crc;
      have = 0;
      return {};
    }
    end_frame();
    return {};
  }

  Status content_crc_byte(std::uint8_t b) {
    if (have == 0) unit_start = pos;
    small[have++] = b;
    ++pos;
    if (have < 4) return {};
    f.content_checksum_value = le32(small);
    if (opts.verify_checksums && *f.content_checksum_value != content_hash.digest())
      return fail(Detail::checksum, "content checksum mismatch" + at(unit_start));
    end_frame();
    return {};
  }

  // ---- skippable frames -----------------------------------------------------------------

  Status skip_size_byte(std::uint8_t b) {
    small[have++] = b;
    ++pos;
    if (have < 4) return {};
    have = 0;
    f.skippable_size = le32(small);
    skip_left = f.skippable_size;
    st = St::skip;
    if (skip_left == 0) end_frame();
    return {};
  }

  // ---- driver ---------------------------------------------------------------------------

  // input_size counts the bytes consumed (up to an error), so it does not depend on chunking.
  Status update(ByteView in) {
    Status s = consume(in);
    report.input_size = pos;
    return s;
  }

  // Takes the 4 bytes at `p` as `small` (advancing p and pos), then completes the unit.
  template <class Complete>
  Status word_at_once(const std::uint8_t*& p, Complete complete) {
    unit_start = pos;
    std::memcpy(small, p, 4);
    have = 4;
    p += 4;
    pos += 4;
    return complete();
  }

  Status consume(ByteView in) {
    const std::uint8_t* p = in.data();
    const std::uint8_t* end = p + in.size();
    while (p < end) {
      Status s;
      switch (st) {
        case St::failed:
          return error;
        case St::trailing:
          pos += static_cast<std::size_t>(end - p);
          return {};
        case St::skip: {
          std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(skip_left, end - p));
          skip_left -= take;
          p += take;
          pos += take;
          if (skip_left == 0) end_frame();
          continue;
        }
        case St::block: {
          std::size_t want = block_stored();
          if (ihave == 0 && static_cast<std::size_t>(end - p) >= want) {  // whole block here
            p += want;
            pos += want;
            s = decode_block(p - want);
          } else {
            if (ihave == 0 && !ibuf.ensure(want)) return out_of_memory();
            std::size_t take = std::min<std::size_t>(want - ihave, end - p);
            std::memcpy(ibuf.data() + ihave, p, take);
            ihave += take;
            p += take;
            pos += take;
            if (ihave == want) s = decode_block(ibuf.data());
          }
          break;
        }
        // Four bytes at once when they are all here: what the byte-by-byte path concludes on
        // its fourth byte, without three calls and eight memcmp before it (a 256-byte frame
        // has three such words). A magic that is not a frame's goes byte by byte, so that
        // the error does not depend on chunking.
        case St::magic:
          if (have == 0 && end - p >= 4 && std::memcmp(p, kFrameMagicLE, 4) == 0) {
            s = word_at_once(p, [&] { return magic_complete(false); });
            break;
          }
          s = magic_byte(*p++);
          break;
        case St::descriptor:
          if (have == 0) {
            if (std::size_t n = descriptor_at_once(p, static_cast<std::size_t>(end - p), s)) {
              p += n;
              break;
            }
          }
          s = descriptor_byte(*p++);
          break;
        case St::skip_size: s = skip_size_byte(*p++); break;
        case St::block_size:
          if (have == 0 && end - p >= 4) {
            s = word_at_once(p, [&] { return block_size_complete(); });
            break;
          }
          s = block_size_byte(*p++);
          break;
        case St::content_crc: s = content_crc_byte(*p++); break;
      }
      if (!s) return s;
    }
    return st == St::failed ? error : Status{};
  }

  // R-R2-6: input that ends inside a frame (magic, descriptor, block size, block, checksums,
  // before the EndMark) is truncated.
  Status finish() {
    switch (st) {
      case St::failed:
        return error;
      case St::trailing:
        report.trailing_bytes = pos - unit_start;
        return {};
      case St::magic:
        if (have == 0) {
          if (report.frame_count > 0) return {};
          if (opts.allow_empty_input) return {};
          return fail(Detail::truncated, "empty input" + at(0));
        }
        return fail(Detail::truncated, "input ends inside a magic number" + at(pos));
      default:
        return fail(Detail::truncated, std::string("input ends inside a ") + (f.skippable ? "skippable frame" : "frame") +
                                           " starting" + at(f.offset));
    }
  }
};

Lz4Decoder::Lz4Decoder(Sink& out, Lz4ReadOptions opts) : impl_(std::make_unique<Impl>(out, opts)) {}
void Lz4Decoder::reset(Sink& out, Lz4ReadOptions opts) { impl_->reset(out, opts); }
Lz4Decoder::~Lz4Decoder() = default;
Status Lz4Decoder::update(ByteView in) { return impl_->update(in); }
Status Lz4Decoder::finish() { return impl_->finish(); }
const Lz4Report& Lz4Decoder::report() const { return impl_->report; }

}  // namespace casblob
