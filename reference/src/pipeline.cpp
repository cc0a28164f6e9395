// The parallel save pipeline (pipeline.hpp). Two threads, one direction:
//
//   caller:  read chunk i into slot i % S -> publish -> compress slot -> read chunk i+1 ...
//   hasher:  wait for chunk j -> SHA-1 update -> release slot j % S -> wait for chunk j+1 ...
//
// `produced` and `hashed` are the only shared state (chunk counters, release/acquire); a slot
// is refilled once hashed > i - S (the caller itself is done compressing it by then). Waits
// spin briefly, then block on the counter (C++20 atomic wait: a futex), because on a busy
// 2-core machine the other thread may be descheduled.
#include "casblob/pipeline.hpp"

#include <atomic>
#include <memory>
#include <thread>

#include "casblob/key.hpp"
#include "casblob/meta.hpp"

namespace casblob {
namespace {

class CountingSink final : public Sink {
 public:
  explicit CountingSink(Sink& next) : next_(next) {}
  Status write(ByteView data) override {
    count_ += data.size();
    return next_.write(data);
  }
  std::uint64_t count() const { return count_; }

 private:
  Sink& next_;
  std::uint64_t count_ = 0;
};

// The encoder encode_blob would pick (writer.cpp): raw, gzip (v1) or lz4 frame (v2).
class AnyEncoder {
 public:
  static Result<std::unique_ptr<AnyEncoder>> make(const EncodeOptions& opts, std::optional<std::uint64_t> size_hint,
                                                  Sink& out) {
    if (opts.version != 1 && opts.version != 2)
      return Error(Errc::usage, "version must be 1 (gzip) or 2 (lz4 frame)");
    auto e = std::make_unique<AnyEncoder>(out);
    if (opts.raw) return e;
    if (opts.version == 1) {
      e->gzip_ = std::make_unique<GzipWriter>(out, opts.gzip);
    } else {
      if (!lz4_available()) return Error(Errc::codec_unavailable, "cas_version 2 needs lz4, not built in");
      Lz4WriteOptions lo = opts.lz4;
      if (!lo.content_size) lo.content_size = size_hint;  // python-lz4 store_size=True
      e->lz4_ = std::make_unique<Lz4Writer>(out, lo);
    }
    return e;
  }
  explicit AnyEncoder(Sink& out) : out_(out) {}
  Status write(ByteView d) {
    if (gzip_) return gzip_->write(d);
    if (lz4_) return lz4_->write(d);
    return out_.write(d);
  }
  Status finish() {
    if (gzip_) return gzip_->finish();
    if (lz4_) return lz4_->finish();
    return {};
  }

 private:
  Sink& out_;
  std::unique_ptr<GzipWriter> gzip_;
  std::unique_ptr<Lz4Writer> lz4_;
};

template <class Pred>
std::uint64_t wait_for(const std::atomic<std::uint64_t>& a, Pred ok) {
  for (int i = 0; i < 2000; ++i) {
    std::uint64_t v = a.load(std::memory_order_acquire);
    if (ok(v)) return v;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  for (;;) {
    std::uint64_t v = a.load(std::memory_order_acquire);
    if (ok(v)) return v;
    a.wait(v, std::memory_order_acquire);
  }
}

// The streaming pipeline's shared state.
struct Ring {
  std::size_t chunk, slots;
  std::unique_ptr<std::uint8_t[]> buf;   // slots * chunk, default-initialised (no memset)
  std::unique_ptr<std::size_t[]> len;    // bytes in each slot; 0 = end of input
  std::atomic<std::uint64_t> produced{0}, hashed{0};
  std::atomic<bool> stop{false};

  Ring(std::size_t c, std::size_t s)
      : chunk(c), slots(s), buf(new std::uint8_t[c * s]), len(new std::size_t[s]) {}
  std::uint8_t* slot(std::uint64_t i) { return buf.get() + (i % slots) * chunk; }

  void hasher(Sha1& sha) {
    for (std::uint64_t j = 0;; ++j) {
      wait_for(produced, [j](std::uint64_t p) { return p > j; });
      if (stop.load(std::memory_order_acquire)) return;
      std::size_t n = len[j % slots];
      if (n == 0) return;
      sha.update(ByteView(slot(j), n));
      hashed.store(j + 1, std::memory_order_release);
      hashed.notify_one();
    }
  }
  void publish(std::uint64_t i) {
    produced.store(i + 1, std::memory_order_release);
    produced.notify_one();
  }
  void abort(std::uint64_t i) {
    stop.store(true, std::memory_order_release);
    publish(i);
  }
};

EncodeInfo make_info(const EncodeOptions& opts, std::string key, std::uint64_t in, std::uint64_t stored) {
  EncodeInfo info;
  info.key = std::move(key);
  info.meta = emit_meta(opts.raw, opts.version);
  info.input_size = in;
  info.stored_size = stored;
  return info;
}

// Room for the encoded output: stored deflate blocks and uncompressed lz4 blocks add a few
// bytes per 16 KB at most, plus headers.
std::size_t output_bound(std::size_t n) { return n + n / 1024 + 1024; }

}  // namespace

Result<EncodeInfo> encode_blob_parallel(Source& in, std::optional<std::uint64_t> size_hint, const EncodeOptions& opts,
                                        Sink& out, const ParallelOptions& popts) {
  if ((size_hint && *size_hint < popts.min_size) || popts.chunk == 0 || popts.slots < 2)
    return encode_blob(in, size_hint, opts, out);
  CountingSink counted(out);
  auto enc = AnyEncoder::make(opts, size_hint, counted);
  if (!enc) return enc.error();

  Ring ring(popts.chunk, popts.slots);
  Sha1 sha;
  std::thread worker([&ring, &sha] { ring.hasher(sha); });
  std::uint64_t total = 0;
  Status failed;
  for (std::uint64_t i = 0;; ++i) {
    if (i >= ring.slots)  // slot i % S was chunk i - S: wait until it is hashed
      wait_for(ring.hashed, [&](std::uint64_t h) { return h > i - ring.slots; });
    std::uint8_t* p = ring.slot(i);
    std::size_t n = 0;
    while (n < ring.chunk) {
      auto r = in.read(std::span<std::uint8_t>(p + n, ring.chunk - n));
      if (!r) {
        failed = r.error();
        break;
      }
      if (*r == 0) break;
      n += *r;
    }
    if (!failed.ok()) {
      ring.abort(i);
      break;
    }
    ring.len[i % ring.slots] = n;
    ring.publish(i);
    if (n == 0) break;  // the hasher sees the empty slot and stops
    total += n;
    failed = (*enc)->write(ByteView(p, n));
    if (!failed.ok()) {
      // Slot i + 1 may still be in use: stop the hasher through the flag instead.
      ring.abort(i + 1);
      break;
    }
  }
  worker.join();
  if (!failed.ok()) return failed.error();
  CASBLOB_TRY((*enc)->finish());
  return make_info(opts, sha.hex_digest(), total, counted.count());
}

Result<Encoded> encode_blob_parallel(ByteView data, const EncodeOptions& opts, const ParallelOptions& popts) {
  if (data.size() < popts.min_size) return encode_blob(data, opts);
  MemorySink sink;
  sink.bytes().reserve(output_bound(data.size()));
  CountingSink counted(sink);
  auto enc = AnyEncoder::make(opts, data.size(), counted);
  if (!enc) return enc.error();
  std::string key;
  std::thread worker([&key, data] { key = sha1_hex(data); });
  Status s = (*enc)->write(data);
  if (s.ok()) s = (*enc)->finish();
  worker.join();
  if (!s.ok()) return s.error();
  return Encoded{make_info(opts, std::move(key), data.size(), counted.count()), std::move(sink.bytes())};
}

}  // namespace casblob
