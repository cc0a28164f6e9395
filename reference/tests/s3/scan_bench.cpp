// casblob_s3_scan_bench ROOT FLOW JOBS: what an audit at --level data costs on a store, before
// `casblob audit` exists on this branch: list the flow's 256 shards, then on JOBS threads open
// each blob with its sidecar (Storage::open_blob: one GET on S3), stream the payload and decode
// it under strict with the key (SHA-1 on every byte). The same program runs on a local root and on s3://, so the two compare in one run.
// Prints one JSON line: objects, stored bytes, seconds, objects/s, MB/s. Not a test: a benchmark
// (bench_s3_scan.sh runs it).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "casblob/casblob.hpp"

using namespace casblob;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: casblob_s3_scan_bench ROOT FLOW JOBS\n");
    return 2;
  }
  const std::string root = argv[1], flow = argv[2];
  const unsigned jobs = static_cast<unsigned>(std::stoul(argv[3]));
  StorageOptions so;
  so.read_only = true;
  so.jobs = jobs;
  auto storage = open_storage(root, so);
  if (!storage) return std::fprintf(stderr, "%s\n", storage.error().message.c_str()), 1;
  const auto start = std::chrono::steady_clock::now();
  // Listing: the flow's shards, then every shard (in parallel, as an audit would).
  std::vector<std::string> shards;
  Status listed = (*storage)->list(cas_prefix(flow), [&](const ObjectInfo& i) {
    if (i.type == ObjectInfo::Type::directory) shards.push_back(i.path);
    return Status{};
  });
  if (!listed.ok()) return std::fprintf(stderr, "%s\n", listed.error().message.c_str()), 1;
  std::vector<std::pair<std::string, std::string>> blobs;  // path, key
  std::mutex m;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  auto run = [&](auto&& one, std::size_t n) {
    next = 0;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < jobs; ++t)
      threads.emplace_back([&] {
        for (std::size_t i; (i = next++) < n;) one(i);
      });
    for (auto& t : threads) t.join();
  };
  run(
      [&](std::size_t i) {
        std::vector<std::pair<std::string, std::string>> mine;
        Status s = (*storage)->list(shards[i], [&](const ObjectInfo& o) {
          std::string key = o.path.substr(o.path.rfind('/') + 1);
          if (is_valid_key(key)) mine.emplace_back(o.path, key);
          return Status{};
        });
        if (!s.ok()) failed = true;
        std::lock_guard lock(m);
        blobs.insert(blobs.end(), mine.begin(), mine.end());
      },
      shards.size());
  const double listed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::atomic<std::uint64_t> bytes{0}, errors{0};
  run(
      [&](std::size_t i) {
        auto blob = (*storage)->open_blob(blobs[i].first);
        if (!blob) return void(++errors);
        struct Counting final : Source {
          Source& in;
          std::uint64_t n = 0;
          explicit Counting(Source& s) : in(s) {}
          Result<std::size_t> read(std::span<std::uint8_t> b) override {
            auto r = in.read(b);
            if (r) n += *r;
            return r;
          }
        } counted(*blob->payload);
        ReadOptions ro;
        ro.key = blobs[i].second;
        NullSink out;
        if (!decode_blob(counted, blob->sidecar, ro, out)) ++errors;
        bytes += counted.n;
      },
      blobs.size());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"root\": \"%s\", \"jobs\": %u, \"objects\": %zu, \"errors\": %llu, \"stored_bytes\": %llu, "
              "\"list_seconds\": %.3f, \"seconds\": %.3f, \"objects_per_s\": %.0f, \"mb_per_s\": %.1f}\n",
              root.c_str(), jobs, blobs.size(), static_cast<unsigned long long>(errors.load()),
              static_cast<unsigned long long>(bytes.load()), listed_s, s, blobs.size() / s, bytes.load() / s / 1e6);
  return failed || errors ? 1 : 0;
}
