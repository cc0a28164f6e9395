// Shared helpers for the casblob fuzz harnesses (one harness per .cpp, LLVMFuzzerTestOneInput).
//
// Conventions (after zstd tests/fuzz and lz4 ossfuzz): parameters come from the TAIL of the
// input through FuzzedDataProvider's ConsumeIntegral*, data from the FRONT, so that mutating
// the data does not reshuffle the parameters. FUZZ_ASSERT aborts: libFuzzer reports a crash,
// the replay main reports a failing file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>
#include <optional>

#include "casblob/casblob.hpp"

#define FUZZ_ASSERT_MSG(cond, msg)                                                            \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "%s:%d: FUZZ_ASSERT(%s) failed: %s\n", __FILE__, __LINE__, #cond,  \
                   std::string(msg).c_str());                                                 \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)
#define FUZZ_ASSERT(cond) FUZZ_ASSERT_MSG(cond, "")

namespace fuzz {

using casblob::ByteView;
using casblob::Bytes;

// Deterministic chunk schedule from a 32-bit seed taken from the input: the low 4 bits pick the
// largest chunk (1 << n bytes), the rest drive a small PRNG. About one update in 16 is empty.
class Chunker {
 public:
  explicit Chunker(std::uint32_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1), max_(std::size_t{1} << (seed & 15)) {}
  std::size_t next(std::size_t remaining) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    if ((state_ >> 59) == 0) return 0;  // empty update: must be harmless
    std::size_t n = 1 + static_cast<std::size_t>((state_ >> 8) % max_);
    return n < remaining ? n : remaining;
  }

 private:
  std::uint64_t state_;
  std::size_t max_;
};

// One-shot: update(all) then finish(). Stops at the first error, which it returns.
template <class Decoder>
casblob::Status feed_once(Decoder& dec, ByteView in) {
  auto s = dec.update(in);
  if (!s.ok()) return s;
  return dec.finish();
}

template <class Decoder>
casblob::Status feed_chunked(Decoder& dec, ByteView in, std::uint32_t seed) {
  Chunker ch(seed);
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t n = ch.next(in.size() - pos);
    auto s = dec.update(in.subspan(pos, n));
    if (!s.ok()) {
      // Errors are final: another update or finish repeats the same error.
      auto again = dec.finish();
      FUZZ_ASSERT_MSG(!again.ok() && again.code() == s.code() && again.error().detail == s.error().detail,
                      "error not final: " + s.error().label() + " then " + (again.ok() ? "ok" : again.error().label()));
      return s;
    }
    pos += n;
  }
  return dec.finish();
}

// A Source that returns short reads of input-chosen sizes (never 0 before the end).
class ChunkedSource final : public casblob::Source {
 public:
  // `hint`: what size_hint() announces (a file's size), or nothing (a pipe).
  ChunkedSource(ByteView data, std::uint32_t seed, std::optional<std::uint64_t> hint = std::nullopt)
      : data_(data), ch_(seed), hint_(hint) {}
  std::optional<std::uint64_t> size_hint() const override { return hint_; }
  casblob::Result<std::size_t> read(std::span<std::uint8_t> buf) override {
    std::size_t left = data_.size() - pos_;
    if (left == 0 || buf.empty()) return std::size_t{0};
    std::size_t n = ch_.next(left);
    if (n == 0) n = 1;
    if (n > buf.size()) n = buf.size();
    std::memcpy(buf.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  ByteView data_;
  Chunker ch_;
  std::optional<std::uint64_t> hint_;
  std::size_t pos_ = 0;
};

inline std::string label(const casblob::Status& s) { return s.ok() ? std::string("ok") : s.error().label(); }

inline bool same_error(const casblob::Status& a, const casblob::Status& b) {
  if (a.ok() || b.ok()) return a.ok() == b.ok();
  return a.code() == b.code() && a.error().detail == b.error().detail;
}

// Every error value is well formed: a known code, a detail only for `corrupt`.
inline void check_error_shape(const casblob::Error& e) {
  FUZZ_ASSERT_MSG(e.code != casblob::Errc::ok, "error with code ok");
  FUZZ_ASSERT_MSG(e.code <= casblob::Errc::usage, "unknown error code");
  FUZZ_ASSERT_MSG(e.detail <= casblob::Detail::data, "unknown detail");
  FUZZ_ASSERT_MSG(e.detail == casblob::Detail::none || e.code == casblob::Errc::corrupt,
                  "detail on a non-corrupt error: " + e.label());
  FUZZ_ASSERT_MSG(!casblob::name(e.code).empty(), "error without a name");
}

// a is a prefix of b or b of a.
inline bool prefix_related(const Bytes& a, const Bytes& b) {
  std::size_t n = a.size() < b.size() ? a.size() : b.size();
  return n == 0 || std::memcmp(a.data(), b.data(), n) == 0;
}

}  // namespace fuzz
