// The census run: inputs, plans cut into work units, worker threads, per-thread tallies.
#include <sys/resource.h>

#include <cstdlib>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "census/census.hpp"
#include "rng.hpp"

namespace casblob::census {

void Counts::add(const Counts& o) {
  mutants += o.mutants;
  for (int i = 0; i < kOutcomes; ++i) outcome[i] += o.outcome[i];
  for (int i = 0; i < kErrcCount; ++i) errors[i] += o.errors[i];
  for (int i = 0; i < kDetailCount; ++i) details[i] += o.details[i];
}

Counts Results::merged_source(int source, int variant, int profile, int mutation) const {
  Counts c;
  for (int s = 0; s < 2; ++s) {
    if (source >= 0 && s != source) continue;
    for (int v = 0; v < kVariants; ++v) {
      if (variant >= 0 && v != variant) continue;
      for (int p = 0; p < kProfiles; ++p) {
        if (profile >= 0 && p != profile) continue;
        for (int m = 0; m < kMutations; ++m) {
          if (mutation >= 0 && m != mutation) continue;
          c.add(counts[s][v][p][m]);
        }
      }
    }
  }
  return c;
}

Counts Results::merged(int variant, int profile, int mutation) const {
  return merged_source(-1, variant, profile, mutation);
}

std::string default_fixtures_dir() {
  const char* env = std::getenv("CASBLOB_FIXTURES");
  return env && *env ? env : "fixtures";
}

Reading read_mutant(ByteView blob, const SidecarText& sidecar, const std::string& key, Profile profile) {
  ReadOptions ro;
  ro.profile = profile;
  if (profile == Profile::strict) ro.key = key;
  ro.chunk = std::max<std::size_t>(blob.size(), 4);  // one read: no per-call 1 MiB buffer
  MemorySource src(blob);
  NullSink sink;
  Reading r;
  // One decoder per census thread, reset per mutant: codec and SHA-1 contexts are made once.
  thread_local BlobDecoder decoder;
  auto info = decode_blob(decoder, src, sidecar, ro, sink);
  if (!info) {
    const Error& e = info.error();
    r.error = e.code;
    r.detail = e.detail;
    r.message = e.message;
    r.outcome = e.code == Errc::unhandled ? Outcome::unhandled : Outcome::clean_error;
    return r;
  }
  r.sha1 = info->sha1.str();
  r.outcome = r.sha1 == key ? Outcome::correct : Outcome::wrong_bytes;
  return r;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Unit {
  std::size_t plan = 0, begin = 0, end = 0;
  std::uint64_t first_id = 0;  // global id of mutant `begin`
};

using Tally = std::array<std::array<std::array<std::array<Counts, kMutations>, kProfiles>, kVariants>, 2>;

nlohmann::json reading_json(const Reading& r) {
  nlohmann::json j;
  j["class"] = std::string(name(r.outcome));
  if (r.outcome == Outcome::correct) {
    j["outcome"] = "ok";
  } else if (r.outcome == Outcome::wrong_bytes) {
    j["outcome"] = "wrong_bytes";
    j["sha1"] = r.sha1;
  } else {
    j["outcome"] = "error";
    j["error"] = std::string(name(r.error));
    j["detail"] = r.detail == Detail::none ? nlohmann::json() : nlohmann::json(std::string(name(r.detail)));
    j["message"] = r.message;
  }
  return j;
}

// Sizes of generated payloads: the default run is ~1.5 M mutants, --quick ~50 k.
std::vector<std::size_t> generated_sizes(bool quick) {
  if (quick) return {256};
  return {1024, 8192};
}

}  // namespace

Result<Results> run(const Options& opts) {
  auto t0 = Clock::now();
  const unsigned threads = opts.threads ? opts.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Input> inputs;
  std::vector<std::vector<Plan>> plans_by_input;
  std::vector<Plan> plans;

  if (opts.generated) {
    for (auto size : generated_sizes(opts.quick)) {
      for (auto kind : kPayloadKinds) {
        Bytes content = generate_payload(kind, size, opts.seed);
        for (int v = 0; v < kVariants; ++v) {
          auto in = make_input("gen/" + std::string(kind) + "/" + std::to_string(size), static_cast<Variant>(v),
                               content);
          if (!in) return in.error();
          inputs.push_back(std::move(*in));
        }
      }
    }
  }
  const std::size_t generated_count = inputs.size();
  if (opts.fixtures_dir) {
    auto fx = load_fixtures(*opts.fixtures_dir, threads);
    if (!fx) return fx.error();
    for (auto& in : *fx) {
      // --quick: the seven fixtures with 1.3-4 MiB of content would take most of the time.
      if (opts.quick && in.content_size > (256u << 10)) continue;
      inputs.push_back(std::move(in));
    }
  }

  Limits gen_limits;  // the rule: exhaustive up to 64 KiB, else 20,000 sampled positions
  Limits fx_limits;
  if (opts.quick) {
    fx_limits.exhaustive_max = 0;  // every fixture: a small sample
    fx_limits.sample = 24;
    fx_limits.indel_positions = 8;
    fx_limits.decode_budget = std::uint64_t{1} << 22;
    fx_limits.min_positions = 2;
  } else if (!opts.exhaustive) {
    // Cost-bounded: <= 32 MiB decoded per mutation class and profile for each fixture (the
    // 1.3 MiB and 4 MiB contents would otherwise dominate the run).
    fx_limits.decode_budget = std::uint64_t{1} << 25;
    fx_limits.min_positions = 16;
    fx_limits.indel_positions = 64;
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto ps = make_plans(inputs, i, i < generated_count ? gen_limits : fx_limits, opts.seed);
    for (auto& p : ps) plans.push_back(std::move(p));
  }

  // Work units of <= 256 mutants, in plan order: global ids are stable for a given seed.
  std::vector<Unit> units;
  std::uint64_t total = 0;
  for (std::size_t pi = 0; pi < plans.size(); ++pi) {
    for (std::size_t b = 0; b < plans[pi].count; b += 256) {
      Unit u{pi, b, std::min(plans[pi].count, b + 256), total + b};
      units.push_back(u);
    }
    total += plans[pi].count;
  }
  // Big plans first would balance better; interleave by a seeded shuffle instead so that the
  // progress bar's rate is representative early.
  {
    Rng rng(mix(opts.seed, 0x0a11));
    for (std::size_t i = units.size(); i > 1; --i) std::swap(units[i - 1], units[rng.below(i)]);
  }

  std::vector<std::uint32_t> dump_ids;
  if (opts.dump_dir && opts.dump_sample) {
    std::filesystem::create_directories(*opts.dump_dir);
    dump_ids = sample_positions(total, opts.dump_sample, mix(opts.seed, 0xd00d));
  }

  Results res;
  res.seed = opts.seed;
  res.quick = opts.quick;
  res.total_mutants = total;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    int s = inputs[i].fixture ? 1 : 0, v = static_cast<int>(inputs[i].variant);
    res.inputs[s][v]++;
    res.stored_bytes[s][v] += inputs[i].blob.size();
  }
  res.threads = threads;
  res.setup_seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::unique_ptr<Tally>> tallies;
  std::vector<std::vector<std::pair<std::uint64_t, std::string>>> dumps(threads);
  std::vector<std::string> failures(threads);
  for (unsigned t = 0; t < threads; ++t) tallies.push_back(std::make_unique<Tally>());

  auto worker = [&](unsigned t) {
    Tally& tally = *tallies[t];
    Bytes scratch;
    try {
      for (;;) {
        std::size_t ui = next.fetch_add(1);
        if (ui >= units.size()) break;
        const Unit& u = units[ui];
        const Plan& plan = plans[u.plan];
        const Input& in = inputs[plan.input];
        const int s = in.fixture ? 1 : 0, v = static_cast<int>(in.variant), m = static_cast<int>(plan.mutation);
        for (std::size_t i = u.begin; i < u.end; ++i) {
          Mutant mu = mutate(in, plan, i, scratch);
          const std::uint64_t id = u.first_id + (i - u.begin);
          const bool dump = !dump_ids.empty() && std::binary_search(dump_ids.begin(), dump_ids.end(), id);
          nlohmann::json rec;
          for (int p = 0; p < kProfiles; ++p) {
            Reading r = read_mutant(mu.blob, mu.sidecar, in.key, kAllProfiles[p]);
            Counts& c = tally[s][v][p][m];
            c.mutants++;
            c.outcome[static_cast<int>(r.outcome)]++;
            if (r.error != Errc::ok) c.errors[static_cast<int>(r.error)]++;
            if (r.error == Errc::corrupt) c.details[static_cast<int>(r.detail)]++;
            if (dump) rec["cpp"][std::string(name(kAllProfiles[p]))] = reading_json(r);
          }
          if (dump) {
            std::string base = std::to_string(id);
            {
              std::ofstream f(*opts.dump_dir + "/" + base + ".blob", std::ios::binary);
              f.write(reinterpret_cast<const char*>(mu.blob.data()), static_cast<std::streamsize>(mu.blob.size()));
            }
            if (mu.sidecar) {
              std::ofstream f(*opts.dump_dir + "/" + base + ".meta", std::ios::binary);
              f << *mu.sidecar;
            }
            rec["id"] = id;
            rec["input"] = in.name;
            rec["source"] = in.fixture ? "fixtures" : "generated";
            rec["variant"] = std::string(name(in.variant));
            rec["mutation"] = std::string(name(plan.mutation));
            rec["index"] = i;
            rec["key"] = in.key;
            rec["blob"] = base + ".blob";
            rec["meta"] = mu.sidecar ? nlohmann::json(base + ".meta") : nlohmann::json();
            dumps[t].emplace_back(id, rec.dump());
          }
        }
        done.fetch_add(u.end - u.begin, std::memory_order_relaxed);
      }
    } catch (const std::exception& e) {
      failures[t] = e.what();
      next.store(units.size());
    }
  };

  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  std::thread monitor;
  if (opts.progress) {
    monitor = std::thread([&] {
      std::unique_lock lk(mu);
      while (!cv.wait_for(lk, std::chrono::milliseconds(250), [&] { return finished; }))
        opts.progress(done.load(), total);
    });
  }
  for (auto& th : pool) th.join();
  {
    std::lock_guard lk(mu);
    finished = true;
  }
  cv.notify_all();
  if (monitor.joinable()) monitor.join();
  if (opts.progress) opts.progress(done.load(), total);
  for (auto& f : failures)
    if (!f.empty()) return Error(Errc::io_error, "census worker failed: " + f);

  for (auto& t : tallies)
    for (int s = 0; s < 2; ++s)
      for (int v = 0; v < kVariants; ++v)
        for (int p = 0; p < kProfiles; ++p)
          for (int m = 0; m < kMutations; ++m) res.counts[s][v][p][m].add((*t)[s][v][p][m]);

  if (opts.dump_dir && opts.dump_sample) {
    std::vector<std::pair<std::uint64_t, std::string>> all;
    for (auto& d : dumps) all.insert(all.end(), d.begin(), d.end());
    std::sort(all.begin(), all.end());
    std::ofstream f(*opts.dump_dir + "/sample.jsonl");
    for (auto& [id, line] : all) f << line << "\n";
    res.dumped = all.size();
    if (!f) return Error(Errc::io_error, "cannot write " + *opts.dump_dir + "/sample.jsonl");
  }
  res.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    res.cpu_seconds = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  return res;
}

}  // namespace casblob::census
