// Census inputs: generated payloads of the realistic kinds, their encodings, valid fixtures.
#include <atomic>
#include <cmath>
#include <thread>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "census/census.hpp"
#include "casblob/key.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "casblob/meta.hpp"
#include "casblob/store.hpp"
#include "casblob/writer.hpp"
#include "rng.hpp"

namespace casblob::census {

std::string_view name(Variant v) noexcept {
  switch (v) {
    case Variant::v1_gzip: return "v1-gzip";
    case Variant::v2_lz4_default: return "v2-lz4-default";
    case Variant::v2_lz4_content_checksum: return "v2-lz4-content-checksum";
    case Variant::v2_lz4_block_checksum: return "v2-lz4-block-checksum";
    case Variant::raw: return "raw";
  }
  return "?";
}

namespace {

// The corpus' largest fixtures are a few MiB; a bound keeps a stray huge file from being
// read into memory whole.
constexpr std::uint64_t kMaxFixtureBytes = std::uint64_t{64} << 20;

void put_u8(Bytes& b, std::uint8_t v) { b.push_back(v); }
void put_str(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }

// pickle protocol 4 of a dict of metrics: names -> ints, floats, short strings, float lists.
Bytes pickle_like(std::size_t size, Rng& rng) {
  Bytes b = {0x80, 0x04, 0x95};
  std::uint64_t frame = size >= 11 ? size - 11 : 0;
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(frame >> (8 * i)));
  put_str(b, "}\x94(");
  static const char* names[] = {"loss", "accuracy", "epoch", "learning_rate", "run_id", "model", "step",
                                "val_loss", "precision", "recall", "f1", "batch_size", "tags", "history"};
  int memo = 0;
  while (b.size() + 2 < size) {
    std::string key = std::string(names[rng.below(std::size(names))]) + "_" + std::to_string(rng.below(100));
    put_u8(b, 0x8c);
    put_u8(b, static_cast<std::uint8_t>(key.size()));
    put_str(b, key);
    put_u8(b, 0x94);
    ++memo;
    switch (rng.below(5)) {
      case 0: put_u8(b, 'K'); put_u8(b, static_cast<std::uint8_t>(rng.below(256))); break;
      case 1: {
        put_u8(b, 'J');
        auto v = static_cast<std::uint32_t>(rng.next());
        for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
        break;
      }
      case 2: {
        put_u8(b, 'G');
        double d = rng.normal();
        std::uint64_t u;
        std::memcpy(&u, &d, 8);
        for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));  // big-endian
        break;
      }
      case 3: {
        std::string s = "exp-" + std::to_string(rng.below(100000));
        put_u8(b, 0x8c);
        put_u8(b, static_cast<std::uint8_t>(s.size()));
        put_str(b, s);
        put_u8(b, 0x94);
        break;
      }
      default: {
        put_str(b, "]\x94(");
        double x = rng.normal();
        int n = 1 + static_cast<int>(rng.below(24));
        for (int k = 0; k < n; ++k) {
          x += 0.01 * rng.normal();
          put_u8(b, 'G');
          std::uint64_t u;
          std::memcpy(&u, &x, 8);
          for (int i = 7; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
        }
        put_u8(b, 'e');
        break;
      }
    }
    put_u8(b, 'u');
  }
  b.resize(size >= 2 ? size - 2 : 0);
  put_str(b, "u.");
  b.resize(size);
  return b;
}

// A float64 array of measurements (numpy tobytes): a noisy random walk, little-endian.
Bytes float64_array(std::size_t size, Rng& rng) {
  Bytes b;
  b.reserve(size + 8);
  double x = 20.0;
  while (b.size() < size) {
    x += 0.05 * rng.normal();
    double v = std::round(x * 1e4) / 1e4;  // sensor resolution: some redundancy in the mantissa
    std::uint64_t u;
    std::memcpy(&u, &v, 8);
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
  }
  b.resize(size);
  return b;
}

Bytes random_bytes(std::size_t size, Rng& rng) {
  Bytes b(size);
  for (auto& c : b) c = static_cast<std::uint8_t>(rng.next() >> 56);
  return b;
}

// Log-like English text.
Bytes text(std::size_t size, Rng& rng) {
  static const char* words[] = {"the",    "flow",  "step",     "artifact", "metaflow", "data",  "model",
                                "train",  "value", "returned", "with",     "from",     "run",   "task",
                                "store",  "blob",  "loaded",   "in",       "a",        "of",    "and",
                                "started", "finished", "epoch", "loss",    "to",       "for",   "parameters"};
  Bytes b;
  b.reserve(size + 32);
  int line = 0;
  while (b.size() < size) {
    put_str(b, "2024-05-" + std::to_string(10 + line % 20) + " INFO ");
    int n = 4 + static_cast<int>(rng.below(12));
    for (int i = 0; i < n; ++i) {
      put_str(b, words[rng.below(std::size(words))]);
      put_u8(b, i + 1 < n ? ' ' : '.');
    }
    if (rng.below(3) == 0) put_str(b, " id=" + std::to_string(rng.below(1000000)));
    put_u8(b, '\n');
    ++line;
  }
  b.resize(size);
  return b;
}

EncodeOptions encode_options(Variant v) {
  EncodeOptions o;
  switch (v) {
    case Variant::v1_gzip: o.version = 1; break;
    case Variant::v2_lz4_default: o.version = 2; break;
    case Variant::v2_lz4_content_checksum: o.version = 2; o.lz4.content_checksum = true; break;
    case Variant::v2_lz4_block_checksum: o.version = 2; o.lz4.block_checksum = true; break;
    case Variant::raw: o.version = 1; o.raw = true; break;  // released Metaflow writes raw as version 1
  }
  return o;
}

Result<Bytes> encode_payload(ByteView content, Variant v) {
  auto e = encode_blob(content, encode_options(v));
  if (!e) return e.error();
  return std::move(e->bytes);
}

// payload_swap: the same content under the other version's encoding.
Status fill_swapped(Input& in, ByteView content) {
  if (in.raw) {
    auto g = encode_payload(content, Variant::v1_gzip);
    auto l = encode_payload(content, Variant::v2_lz4_default);
    if (!g) return g.error();
    if (!l) return l.error();
    in.swapped = std::move(*g);
    in.swapped2 = std::move(*l);
    return {};
  }
  auto s = encode_payload(content, in.version == 2 ? Variant::v1_gzip : Variant::v2_lz4_default);
  if (!s) return s.error();
  in.swapped = std::move(*s);
  return {};
}

}  // namespace

Bytes generate_payload(std::string_view kind, std::size_t size, std::uint64_t seed) {
  Rng rng(mix(seed, fnv1a(kind.data(), kind.size()), size));
  if (kind == "pickle") return pickle_like(size, rng);
  if (kind == "float64") return float64_array(size, rng);
  if (kind == "text") return text(size, rng);
  return random_bytes(size, rng);
}

Result<Input> make_input(std::string nm, Variant v, ByteView content) {
  Input in;
  in.name = std::move(nm);
  in.variant = v;
  auto opts = encode_options(v);
  auto e = encode_blob(content, opts);
  if (!e) return e.error();
  in.blob = std::move(e->bytes);
  in.sidecar = e->info.meta;
  in.key = e->info.key;
  in.raw = opts.raw;
  in.version = opts.version;
  in.content_size = content.size();
  CASBLOB_TRY(fill_swapped(in, content));
  return in;
}

Variant classify_variant(ByteView blob, const SidecarText& sidecar) {
  if (sidecar) {
    auto m = validate_meta_strict(parse_meta(*sidecar));
    if (m && m->raw) return Variant::raw;
    if (m && m->version == 2) {
      std::size_t off = 0;
      while (off + 8 <= blob.size()) {
        std::uint32_t magic = blob[off] | blob[off + 1] << 8 | blob[off + 2] << 16 | std::uint32_t{blob[off + 3]} << 24;
        if (is_lz4_skippable_magic(magic)) {
          std::uint32_t len = blob[off + 4] | blob[off + 5] << 8 | blob[off + 6] << 16 | std::uint32_t{blob[off + 7]} << 24;
          off += 8 + std::size_t{len};
          continue;
        }
        if (magic != kLz4FrameMagic) break;
        std::uint8_t flg = blob[off + 4];
        if (flg & 0x04) return Variant::v2_lz4_content_checksum;
        if (flg & 0x10) return Variant::v2_lz4_block_checksum;
        return Variant::v2_lz4_default;
      }
      return Variant::v2_lz4_default;
    }
  }
  return Variant::v1_gzip;
}

Result<std::vector<Input>> load_fixtures(const std::string& dir, unsigned threads) {
  std::ifstream f(dir + "/manifest.json");
  if (!f) return Error(Errc::not_found, "cannot open " + dir + "/manifest.json");
  nlohmann::json m;
  try {
    f >> m;
  } catch (const std::exception& e) {
    return Error(Errc::io_error, std::string("manifest.json: ") + e.what());
  }
  struct Entry {
    std::string name, key, dir;
    bool sidecar = false;
    std::optional<std::uint64_t> max_size;
  };
  std::vector<Entry> entries;
  for (const auto& grp : m.at("testGroups")) {
    for (const auto& t : grp.at("tests")) {
      if (t.at("expect").at("strict").at("outcome") != "ok") continue;
      Entry e;
      e.name = t.at("name").get<std::string>();
      e.key = t.at("key").get<std::string>();
      e.dir = t.at("dir").get<std::string>();
      e.sidecar = t.value("sidecar", false);
      if (t.contains("maxSize")) e.max_size = t["maxSize"].get<std::uint64_t>();
      entries.push_back(std::move(e));
    }
  }
  // Reading a fixture means decoding it and encoding its content as the other version:
  // seconds for the 4 MiB ones, so spread over threads.
  std::vector<std::optional<Input>> loaded(entries.size());
  std::vector<std::optional<Error>> errors(entries.size());
  auto load_one = [&](std::size_t i) -> Status {
    const Entry& e = entries[i];
    Input in;
    in.fixture = true;
    in.name = e.name;
    in.key = e.key;
    std::string path = dir + "/" + e.dir + "/" + in.key.substr(0, 2) + "/" + in.key;
    auto blob = read_file(path, kMaxFixtureBytes);
    if (!blob) return Error(blob.error().code, path + ": " + blob.error().message);
    in.blob = std::move(*blob);
    if (e.sidecar) {
      auto sc = read_sidecar_file(path + "_meta");
      if (!sc) return Error(sc.error().code, path + "_meta: " + sc.error().message);
      if (!*sc) return Error(Errc::not_found, path + "_meta: the manifest says there is a sidecar");
      in.sidecar = std::move(*sc);
      auto meta = validate_meta_strict(parse_meta(*in.sidecar));
      if (!meta) return Error(meta.error().code, in.name + ": sidecar: " + meta.error().message);
      in.raw = meta->raw;
      in.version = static_cast<int>(meta->version);
    }
    in.variant = classify_variant(in.blob, in.sidecar);
    ReadOptions ro;
    ro.key = in.key;
    if (e.max_size) ro.max_size = *e.max_size;
    auto dec = decode_blob(ByteView(in.blob), in.sidecar, ro);
    if (!dec) return Error(dec.error().code, in.name + ": strict read of a valid fixture failed: " + dec.error().message);
    in.content_size = dec->bytes.size();
    CASBLOB_TRY(fill_swapped(in, dec->bytes));
    loaded[i] = std::move(in);
    return {};
  };
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < entries.size();) {
      auto s = load_one(i);
      if (!s) errors[i] = s.error();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, threads); ++t) pool.emplace_back(worker);
  for (auto& th : pool) th.join();
  std::vector<Input> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (errors[i]) return *errors[i];
    out.push_back(std::move(*loaded[i]));
  }
  return out;
}

}  // namespace casblob::census
