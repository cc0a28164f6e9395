// Zero-copy output for the decoders: a Sink that lends its own memory, so that a decoder writes
// decoded bytes in place instead of into a buffer of its own that write() then copies (the
// way liblz4's LZ4F_decompress and python-lz4 write into the caller's buffer). On an 8 MB lz4
// load that second copy was 10-14 % of the time (issue 19).
//
// Contract: output stays contiguous. room(n) returns memory that starts right after the last
// committed byte; commit(n) makes the first n bytes of it output, exactly as write() of those
// bytes would. The last kDirectHistory committed bytes (or all, if fewer) stay readable right
// before the room: the lz4 decoder decodes linked blocks against them as their 64 KiB window
// (R-R2-3), with no window of its own. A decoder given a DirectSink whose direct() is false (a
// wrapper around a plain Sink) uses write() instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "casblob/io.hpp"

namespace casblob {

inline constexpr std::size_t kDirectHistory = 64 * 1024;

class DirectSink : public Sink {
 public:
  // False: this sink cannot lend memory now; the decoder falls back to write().
  virtual bool direct() const noexcept { return true; }
  // At least n writable bytes right after the committed output (may be more). Valid until
  // the next room() or write() on this sink; an error (out of memory, a limit) is final for
  // the decoder.
  virtual Result<std::span<std::uint8_t>> room(std::size_t n) = 0;
  // The first n bytes of the last room() are output. What follows them in that room stays
  // room: a decoder may write on into it and commit again, until its next room() or write().
  virtual Status commit(std::size_t n) = 0;
  DirectSink* as_direct_sink() noexcept final { return this; }
};

// The DirectSink `out` can lend memory through now, or nullptr (a plain Sink, or a wrapper
// whose direct() is false): the one rule by which decoders and pass-through sinks choose room()
// or write().
inline DirectSink* lending_sink(Sink& out) noexcept {
  DirectSink* d = out.as_direct_sink();
  return d && d->direct() ? d : nullptr;
}

// Fills a byte vector the caller owns from its start, overwriting what it held: a vector
// reused from blob to blob is neither reallocated nor zeroed again (std::vector::resize zeroes
// what it adds, a pass over the output a reused buffer does not pay). finish() cuts the vector
// to the committed size.
class BytesDirectSink final : public DirectSink {
 public:
  explicit BytesDirectSink(Bytes& out) noexcept : out_(out) {}
  Result<std::span<std::uint8_t>> room(std::size_t n) override;
  Status commit(std::size_t n) override;
  Status write(ByteView data) override;
  std::size_t size() const noexcept { return committed_; }
  void finish() { out_.resize(committed_); }

 private:
  Bytes& out_;
  std::size_t committed_ = 0;
};

// The output of one blob held in memory as a view of the bytes `source` while it arrives as
// write()s of those very bytes, in order from one place (a raw payload is its own content:
// the raw decoder and the raw encoder pass their input on), and copied into `out` (as
// BytesDirectSink does) from the first bytes that are not, or as soon as a codec asks for
// room() (what gzip and lz4 produce is new bytes). The view is copied in before the first
// room, so the DirectSink contract holds (a linked lz4 block finds its history before it).
class ViewOrBytesSink final : public DirectSink {
 public:
  ViewOrBytesSink(ByteView source, Bytes& out) noexcept : source_(source), copy_(out), out_(out) {}
  Status write(ByteView data) override;
  Result<std::span<std::uint8_t>> room(std::size_t n) override;
  Status commit(std::size_t n) override { return copy_.commit(n); }
  // After the last byte: the output, a view of `source` or of `out` (cut to the output). A
  // view leaves `out` empty.
  ByteView finish();

 private:
  bool continues_view(ByteView data) const noexcept;
  Status materialize();
  ByteView source_, view_;
  BytesDirectSink copy_;
  Bytes& out_;
  bool copied_ = false;
};

}  // namespace casblob
