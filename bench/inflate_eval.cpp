// casblob_inflate_eval: should the strict v1 reader inflate with ISA-L or libdeflate instead of
// zlib? (issue 19 item 5; the decision and the figures are in bench/README.md.) Two questions:
//
//   speed   strict v1 read = inflate + CRC-32 + SHA-1, per payload, through
//             casblob   GzipDecoder (zlib inflate, ISA-L CRC), reused, 64 KiB pieces
//             isal      isal_inflate streaming (ISAL_GZIP_NO_HDR: CRC inside), 64 KiB pieces
//             libdeflate  libdeflate_deflate_decompress_ex on the whole member, then CRC
//           each + SHA-1 of the output; medians of CPU time.
//   classes the spec's error classes (R-R1-4 data, R-R1-6 truncated) must not change: every
//           deflate stream of the fixture corpus (each member, with everything after it) and
//           `--mutants N` mutations (flips, truncations, insertions) of real streams, judged by
//           zlib (the reference: what casblob and Python's gzip use) and by each engine:
//           accepted (same bytes, same end), truncated (input ends inside the stream) or
//           invalid. Any difference in class means the engine cannot replace zlib for strict.
//
//   casblob_inflate_eval --payloads DIR/payloads.json --fixtures DIR [--mutants N] [--reps N]
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <openssl/evp.h>
#include <time.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "casblob/casblob.hpp"
#include "casblob/experimental/gzip.hpp"

using namespace casblob;
using json = nlohmann::json;

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "casblob_inflate_eval: %s\n", msg.c_str());
  std::exit(1);
}

Bytes slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) die("cannot read " + path);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

double thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

double median_cpu(const std::function<void()>& fn, int reps) {
  fn();
  std::vector<double> v;
  for (int i = 0; i < reps; ++i) {
    double t = thread_cpu();
    fn();
    v.push_back(thread_cpu() - t);
  }
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

constexpr std::size_t kPiece = 64 * 1024;

struct Sha {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  void begin() { EVP_DigestInit_ex2(ctx, md, nullptr); }
  void update(const std::uint8_t* p, std::size_t n) { EVP_DigestUpdate(ctx, p, n); }
  void end() {
    unsigned char d[20];
    unsigned l;
    EVP_DigestFinal_ex(ctx, d, &l);
  }
};

// ---- the verdicts -------------------------------------------------------------------------

enum class Verdict { accepted, truncated, invalid };
const char* verdict_name(Verdict v) {
  return v == Verdict::accepted ? "accepted" : v == Verdict::truncated ? "truncated" : "invalid";
}

struct Outcome {
  Verdict verdict = Verdict::invalid;
  Bytes out;          // when accepted
  std::size_t used = 0;  // input bytes of the stream, when accepted
  bool operator==(const Outcome& o) const {
    return verdict == o.verdict && (verdict != Verdict::accepted || (out == o.out && used == o.used));
  }
};

constexpr std::size_t kMaxOut = std::size_t{64} << 20;

Outcome by_zlib(ByteView in) {
  static z_stream zs = [] {
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) die("inflateInit2");
    return z;
  }();
  inflateReset(&zs);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  Outcome o;
  static std::uint8_t buf[kPiece];
  int rc;
  do {
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    o.out.insert(o.out.end(), buf, buf + (sizeof buf - zs.avail_out));
  } while (rc == Z_OK && o.out.size() < kMaxOut);
  o.verdict = rc == Z_STREAM_END ? Verdict::accepted : rc == Z_BUF_ERROR ? Verdict::truncated : Verdict::invalid;
  o.used = in.size() - zs.avail_in;
  return o;
}

Outcome by_isal(ByteView in) {
  static inflate_state st;
  isal_inflate_init(&st);
  st.next_in = const_cast<std::uint8_t*>(in.data());
  st.avail_in = static_cast<std::uint32_t>(in.size());
  Outcome o;
  static std::uint8_t buf[kPiece];
  for (;;) {
    st.next_out = buf;
    st.avail_out = sizeof buf;
    int rc = isal_inflate(&st);
    o.out.insert(o.out.end(), buf, buf + (sizeof buf - st.avail_out));
    if (rc < 0) return o.verdict = Verdict::invalid, o;
    if (st.block_state == ISAL_BLOCK_FINISH) break;
    if (st.avail_in == 0 && st.avail_out != 0) return o.verdict = Verdict::truncated, o;
    if (o.out.size() >= kMaxOut) return o;
  }
  o.verdict = Verdict::accepted;
  // ISA-L reads ahead into a 64-bit bit buffer: the whole bytes left in it are not the stream's.
  o.used = in.size() - st.avail_in - static_cast<std::size_t>(st.read_in_length / 8);
  return o;
}

Outcome by_libdeflate(ByteView in) {
  static libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  static Bytes out(kMaxOut);
  std::size_t used = 0, n = 0;
  auto rc = libdeflate_deflate_decompress_ex(d, in.data(), in.size(), out.data(), out.size(), &used, &n);
  Outcome o;
  // Whole-buffer: it cannot tell a truncated stream from an invalid one (zlib can).
  if (rc != LIBDEFLATE_SUCCESS) return o.verdict = Verdict::invalid, o;
  o.verdict = Verdict::accepted;
  o.out.assign(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
  o.used = used;
  return o;
}

// libdeflate reports truncation as invalid: compare it with zlib's class folded the same way.
Outcome folded(Outcome o) {
  if (o.verdict == Verdict::truncated) o.verdict = Verdict::invalid;
  return o;
}

struct Tally {
  std::map<std::string, long> kinds;  // "zlib -> engine" for every disagreement
  long compared = 0, differ = 0;
  std::vector<std::string> examples;
  void add(const Outcome& ref, const Outcome& got, ByteView in) {
    ++compared;
    if (ref == got) return;
    ++differ;
    std::string k = std::string(verdict_name(ref.verdict)) + " -> " + verdict_name(got.verdict);
    if (ref.verdict == Verdict::accepted && got.verdict == Verdict::accepted) k = "accepted, other bytes or end";
    ++kinds[k];
    if (examples.size() < 3) {
      std::string hex;
      for (std::size_t i = 0; i < std::min<std::size_t>(in.size(), 24); ++i) {
        char b[4];
        std::snprintf(b, sizeof b, "%02x", in[i]);
        hex += b;
      }
      examples.push_back(k + ": " + std::to_string(in.size()) + " bytes " + hex + (in.size() > 24 ? "..." : ""));
    }
  }
  json to_json() const { return {{"compared", compared}, {"differ", differ}, {"kinds", kinds}, {"examples", examples}}; }
};

// Raw deflate streams from gzip payloads: each member's data with everything after it.
std::vector<Bytes> member_streams(const Bytes& payload) {
  std::vector<Bytes> v;
  NullSink sink;
  GzipReadOptions o;
  o.stop_at_trailing_data = true;
  GzipDecoder d(sink, o);
  (void)d.update(payload);
  (void)d.finish();
  for (const auto& m : d.report().members) {
    std::size_t start = static_cast<std::size_t>(m.offset + m.header_size);
    if (start < payload.size()) v.emplace_back(payload.begin() + static_cast<std::ptrdiff_t>(start), payload.end());
  }
  // A payload whose first member fails still has a stream to judge: after a plain header.
  if (v.empty() && payload.size() > 10 && payload[0] == 0x1f && payload[1] == 0x8b && payload[3] == 0)
    v.emplace_back(payload.begin() + 10, payload.end());
  return v;
}

Bytes deflate_of(ByteView data, int level, int strategy) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, -MAX_WBITS, 8, strategy);
  Bytes o(deflateBound(&z, data.size()) + 64);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = o.data();
  z.avail_out = static_cast<uInt>(o.size());
  deflate(&z, Z_FINISH);
  o.resize(z.total_out);
  deflateEnd(&z);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::string payloads, fixtures;
  long mutants = 200000;
  int reps = 9;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value after " + a);
      return argv[++i];
    };
    if (a == "--payloads") payloads = next();
    else if (a == "--fixtures") fixtures = next();
    else if (a == "--mutants") mutants = std::stol(next());
    else if (a == "--reps") reps = std::stoi(next());
    else die("unknown argument " + a);
  }
  if (payloads.empty() || fixtures.empty()) die("--payloads and --fixtures are required");

  json speed = json::array();
  std::vector<Bytes> seeds;
  Sha sha;
  for (const auto& p : json::parse(slurp(payloads))) {
    const Bytes data = slurp(p.at("file"));
    if (data.size() < 4096) continue;  // per-blob cost is not the question here
    const auto enc = encode_blob(ByteView(data), EncodeOptions{});
    if (!enc) die("encode");
    const Bytes& blob = enc->bytes;
    const ByteView def(blob.data() + 10, blob.size() - 18);
    seeds.push_back(Bytes(def.begin(), def.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(def.size(), 16384))));
    const double mb = data.size() / 1e6;

    struct HashSink final : Sink {
      Sha* s;
      Status write(ByteView b) override {
        s->update(b.data(), b.size());
        return {};
      }
    } hs;
    hs.s = &sha;
    GzipDecoder dec(hs);
    auto casblob_run = [&] {
      dec.reset(hs);
      sha.begin();
      if (!dec.update(blob).ok() || !dec.finish().ok()) die("casblob");
      sha.end();
    };
    inflate_state st;
    Bytes out(kPiece);
    auto isal_run = [&] {
      isal_inflate_init(&st);
      st.crc_flag = ISAL_GZIP_NO_HDR;
      st.next_in = const_cast<std::uint8_t*>(def.data());
      st.avail_in = static_cast<std::uint32_t>(def.size());
      sha.begin();
      do {
        st.next_out = out.data();
        st.avail_out = kPiece;
        if (isal_inflate(&st) < 0) die("isal");
        sha.update(out.data(), kPiece - st.avail_out);
      } while (st.block_state != ISAL_BLOCK_FINISH);
      sha.end();
    };
    libdeflate_decompressor* ld = libdeflate_alloc_decompressor();
    Bytes whole(data.size());
    auto libdeflate_run = [&] {
      std::size_t n = 0;
      if (libdeflate_deflate_decompress(ld, def.data(), def.size(), whole.data(), whole.size(), &n) != LIBDEFLATE_SUCCESS)
        die("libdeflate");
      std::uint32_t crc = 0;
      sha.begin();
      for (std::size_t i = 0; i < n; i += kPiece) {
        std::size_t k = std::min(kPiece, n - i);
        crc = crc32_gzip_refl(crc, whole.data() + i, k);
        sha.update(whole.data() + i, k);
      }
      sha.end();
    };
    const double c = median_cpu(casblob_run, reps), is = median_cpu(isal_run, reps), ld_t = median_cpu(libdeflate_run, reps);
    libdeflate_free_decompressor(ld);
    speed.push_back({{"payload", p.at("name")}, {"size", data.size()}, {"casblob_mb_s", mb / c},
                     {"isal_mb_s", mb / is}, {"libdeflate_mb_s", mb / ld_t}});
    std::printf("%-14s casblob (zlib) %7.1f  isal %7.1f (%.2fx)  libdeflate %7.1f (%.2fx) MB/s, CPU time\n",
                p.at("name").get<std::string>().c_str(), mb / c, mb / is, c / is, mb / ld_t, c / ld_t);
  }

  // ---- classes: the fixture corpus, then mutants ------------------------------------------
  Tally fx_isal, fx_ld, mu_isal, mu_ld;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(fixtures))
    if (e.is_regular_file() && e.path().filename().string().find("_meta") == std::string::npos) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  long streams = 0;
  for (const auto& f : files) {
    for (const Bytes& s : member_streams(slurp(f.string()))) {
      ++streams;
      const Outcome z = by_zlib(s);
      fx_isal.add(z, by_isal(s), s);
      fx_ld.add(folded(z), by_libdeflate(s), s);
    }
  }
  std::mt19937_64 rng(19);
  for (int k = 0; k < 40; ++k) {  // small streams of every block type and strategy, too
    Bytes d(rng() % 3000);
    for (auto& c : d) c = static_cast<std::uint8_t>(k % 3 == 0 ? 'a' + rng() % 4 : k % 3 == 1 ? rng() : "hello world "[rng() % 12]);
    for (int lv : {1, 3, 9})
      for (int s : {Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE}) seeds.push_back(deflate_of(d, lv, s));
  }
  for (long n = 0; n < mutants; ++n) {
    Bytes in = seeds[rng() % seeds.size()];
    for (int j = 0, m = 1 + static_cast<int>(rng() % 4); j < m && !in.empty(); ++j) {
      std::size_t p = rng() % in.size();
      switch (rng() % 4) {
        case 0: in[p] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: in[p] = static_cast<std::uint8_t>(rng()); break;
        case 2: in.resize(p); break;
        default: in.insert(in.begin() + static_cast<std::ptrdiff_t>(p), static_cast<std::uint8_t>(rng()));
      }
    }
    in.push_back(0xAB);  // bytes after the stream (a trailer): the end must be found exactly
    in.push_back(0xCD);
    const Outcome z = by_zlib(in);
    mu_isal.add(z, by_isal(in), in);
    mu_ld.add(folded(z), by_libdeflate(in), in);
  }
  auto report = [](const char* what, const Tally& t) {
    std::printf("%-34s %8ld compared, %6ld differ from zlib", what, t.compared, t.differ);
    for (const auto& [k, n] : t.kinds) std::printf("; %s: %ld", k.c_str(), n);
    std::printf("\n");
    for (const auto& e : t.examples) std::printf("    e.g. %s\n", e.c_str());
  };
  std::printf("\nfixture corpus: %zu payloads, %ld deflate streams\n", files.size(), streams);
  report("fixtures, isal_inflate", fx_isal);
  report("fixtures, libdeflate (trunc=invalid)", fx_ld);
  report("mutants, isal_inflate", mu_isal);
  report("mutants, libdeflate (trunc=invalid)", mu_ld);
  json out = {{"speed", speed},
              {"fixtures", {{"payloads", files.size()}, {"streams", streams}, {"isal", fx_isal.to_json()},
                            {"libdeflate", fx_ld.to_json()}}},
              {"mutants", {{"count", mutants}, {"isal", mu_isal.to_json()}, {"libdeflate", mu_ld.to_json()}}}};
  std::printf("\n%s\n", out.dump().c_str());
  return 0;
}
