// The parallel save pipeline (parallel_encoder.hpp).
//
// The input is cut into pieces. SHA-1 must see them in order, but it does not matter which
// thread feeds a piece to it: a piece is *claimed* (compare-and-swap on `claimed`), its
// claimant waits until the previous piece is hashed (`done`), hashes it, and advances `done`.
// Two threads claim:
//   - a helper thread, owned by the ParallelEncoder, started on its first parallel encode and
//     reused (no thread start per blob), which hashes pieces as soon as they are published;
//   - the calling thread, which compresses each piece and, whenever it would otherwise wait
//     (for a slot to be released, or at the end), hashes unclaimed pieces itself.
// So on an idle machine SHA-1 runs beside the compressor, and on a busy one, where the helper
// may not be scheduled for milliseconds, the caller never waits for it longer than the one
// piece it holds: the result is never much slower than encode_blob.
//
// Streaming input goes through a ring of `slots` buffers of `chunk` bytes, allocated once per
// call and reused; slot i % S is refilled once piece i - S is hashed (the caller itself is done
// compressing it by then). In memory, pieces are the caller's bytes themselves.
#include "casblob/experimental/parallel_encoder.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "casblob/key.hpp"
#include "casblob/meta.hpp"
#include "write/encoder.hpp"

namespace casblob {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins briefly, then blocks on the counter (C++20 atomic wait: a futex).
template <class Pred>
std::uint64_t wait_for(const std::atomic<std::uint64_t>& a, Pred ok) {
  for (int i = 0; i < 1000; ++i) {
    std::uint64_t v = a.load(std::memory_order_acquire);
    if (ok(v)) return v;
    cpu_relax();
  }
  for (;;) {
    std::uint64_t v = a.load(std::memory_order_acquire);
    if (ok(v)) return v;
    a.wait(v, std::memory_order_acquire);
  }
}

// One blob's hashing. Shared with the helper thread through a shared_ptr, so that a helper
// waking up late only ever touches this object (never the caller's bytes: it can claim a
// piece only while the caller is still waiting for that piece to be hashed).
struct HashJob {
  // In memory: pieces are `view` cut every `piece` bytes. Streaming: slot p % slots of `ring`.
  ByteView view;
  std::size_t piece = 0, slots = 0;
  std::unique_ptr<std::uint8_t[]> ring;  // default-initialised: no memset
  std::unique_ptr<std::size_t[]> len;

  // avail = published pieces * 2 + closed bit: one word, so the helper can wait on both.
  std::atomic<std::uint64_t> avail{0}, claimed{0}, done{0};
  std::optional<Sha1> sha{std::in_place};
  Result<Sha1::Digest> key = Sha1::Digest{};  // or the SHA-1 error (sticky from any update)

  ByteView get(std::uint64_t p) const {
    if (!ring) {
      std::size_t off = static_cast<std::size_t>(p) * piece;
      return view.subspan(off, std::min(piece, view.size() - off));
    }
    return ByteView(ring.get() + (p % slots) * piece, len[p % slots]);
  }
  std::uint8_t* slot(std::uint64_t p) { return ring.get() + (p % slots) * piece; }

  void publish(std::uint64_t n, bool closed) {
    avail.store(n * 2 + (closed ? 1 : 0), std::memory_order_release);
    avail.notify_all();
  }

  // Claims and hashes the next piece if one is published and unclaimed.
  bool hash_one() {
    std::uint64_t c = claimed.load(std::memory_order_acquire);
    if (c >= avail.load(std::memory_order_acquire) / 2) return false;
    if (!claimed.compare_exchange_strong(c, c + 1, std::memory_order_acq_rel)) return true;  // lost: retry
    wait_for(done, [c](std::uint64_t d) { return d == c; });
    sha->update(get(c));
    done.store(c + 1, std::memory_order_release);
    done.notify_all();
    return true;
  }

  // The helper thread: until the job is closed and every piece claimed.
  void help() {
    for (;;) {
      if (hash_one()) continue;
      std::uint64_t a = avail.load(std::memory_order_acquire);
      if (claimed.load(std::memory_order_acquire) < a / 2) continue;
      if (a & 1) return;
      avail.wait(a, std::memory_order_acquire);
    }
  }

  // The caller: hash what it can until piece `p` is hashed (done > p).
  void until_done(std::uint64_t p) {
    while (done.load(std::memory_order_acquire) <= p)
      if (!hash_one()) wait_for(done, [p](std::uint64_t d) { return d > p; });
  }

  // The caller, once every piece is hashed (nothing can be claimed any more): the digest, and
  // the SHA-1 context freed on the caller's thread (the helper may drop the job later).
  void finish() {
    key = sha->digest();
    sha.reset();
  }
};

// The helper thread of one ParallelEncoder. Jobs queue up; a job the helper does not reach is
// simply done by its caller. stop() lets the thread finish the job it holds, then joins it.
class Helper {
 public:
  ~Helper() { stop(); }
  void submit(std::shared_ptr<HashJob> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  bool started() {
    std::lock_guard<std::mutex> lock(mu_);
    return thread_.joinable();
  }

 private:
  void run() {
    for (;;) {
      std::shared_ptr<HashJob> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, nothing left
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job->help();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<HashJob>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

// Closes the job on every exit path, so that the helper never waits on it forever.
struct CloseGuard {
  HashJob& job;
  std::uint64_t& published;
  ~CloseGuard() {
    job.publish(published, true);
    // Every published piece hashed (by us or the helper) before the digest or an error return.
    if (published > 0) job.until_done(published - 1);
    job.finish();
  }
};

}  // namespace

struct ParallelEncoder::Impl {
  ParallelOptions popts;
  Helper helper;
  detail::EncoderSet encoders;  // kept from blob to blob
  BlobEncoder sequential;       // below min_size
};

ParallelEncoder::ParallelEncoder(ParallelOptions opts) : impl_(std::make_unique<Impl>()) { impl_->popts = opts; }
ParallelEncoder::~ParallelEncoder() = default;  // Helper::~Helper joins the thread
bool ParallelEncoder::thread_started() const { return impl_->helper.started(); }

Result<EncodeInfo> ParallelEncoder::encode(Source& in, const EncodeOptions& opts, Sink& out) {
  const ParallelOptions& popts = impl_->popts;
  const std::optional<std::uint64_t> size_hint = in.size_hint();
  if ((size_hint && *size_hint < popts.min_size) || popts.chunk == 0 || popts.slots < 2)
    return impl_->sequential.encode(in, opts, out);
  CountingSink counted(out);
  auto enc = impl_->encoders.select(opts, size_hint, counted);
  if (!enc) return enc.error();

  auto job = std::make_shared<HashJob>();
  job->piece = popts.chunk;
  job->slots = popts.slots;
  job->ring.reset(new std::uint8_t[popts.chunk * popts.slots]);
  job->len.reset(new std::size_t[popts.slots]);
  impl_->helper.submit(job);

  std::uint64_t total = 0, published = 0;
  {
    CloseGuard guard{*job, published};
    for (std::uint64_t i = 0;; ++i) {
      if (i >= job->slots) job->until_done(i - job->slots);  // slot i % S held piece i - S
      std::uint8_t* p = job->slot(i);
      std::size_t n = 0;
      while (n < job->piece) {
        auto r = in.read(std::span<std::uint8_t>(p + n, job->piece - n));
        if (!r) return r.error();
        if (*r == 0) break;
        n += *r;
      }
      if (n == 0) break;
      job->len[i % job->slots] = n;
      job->publish(++published, false);
      total += n;
      CASBLOB_TRY((*enc)->write(ByteView(p, n)));
      if (n < job->piece) break;  // the source is at its end
    }
  }
  CASBLOB_TRY((*enc)->finish());
  if (!job->key) return job->key.error();
  EncodeInfo info;
  detail::fill_encode_info(opts, *job->key, total, counted.count(), info);
  return info;
}

Result<Encoded> ParallelEncoder::encode(ByteView data, const EncodeOptions& opts) {
  const ParallelOptions& popts = impl_->popts;
  if (data.size() < popts.min_size || popts.chunk == 0) return impl_->sequential.encode(data, opts);
  MemorySink sink;
  sink.bytes().reserve(detail::encoded_size_bound(data.size()));
  CountingSink counted(sink);
  auto enc = impl_->encoders.select(opts, data.size(), counted);
  if (!enc) return enc.error();

  auto job = std::make_shared<HashJob>();
  job->view = data;
  job->piece = popts.chunk;
  std::uint64_t pieces = (data.size() + popts.chunk - 1) / popts.chunk;
  job->publish(pieces, true);
  impl_->helper.submit(job);

  // Compress in the same pieces, hashing one whenever the helper has fallen behind the
  // compressor (then the bytes are still in cache).
  Status s;
  for (std::uint64_t i = 0; i < pieces && s.ok(); ++i) {
    s = (*enc)->write(job->get(i));
    if (job->done.load(std::memory_order_acquire) < i && job->claimed.load(std::memory_order_acquire) <= i)
      job->hash_one();
  }
  if (s.ok()) s = (*enc)->finish();
  if (pieces) job->until_done(pieces - 1);
  // Nothing can be claimed any more (claimed >= pieces): the helper no longer reads `data`.
  job->finish();
  if (!s.ok()) return s.error();
  if (!job->key) return job->key.error();
  Encoded out{{}, std::move(sink.bytes())};
  detail::fill_encode_info(opts, *job->key, data.size(), counted.count(), out.info);
  return out;
}

}  // namespace casblob
