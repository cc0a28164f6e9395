// Mutation plans and mutators: mutant i of a plan is rebuilt on demand from (input, plan, i).
#include <algorithm>
#include <unordered_set>

#include "census/census.hpp"
#include "casblob/writer.hpp"
#include "rng.hpp"

namespace casblob::census {

std::string_view name(Mutation m) noexcept {
  switch (m) {
    case Mutation::none: return "none";
    case Mutation::bitflip: return "bitflip";
    case Mutation::truncate: return "truncate";
    case Mutation::insert_byte: return "insert_byte";
    case Mutation::delete_byte: return "delete_byte";
    case Mutation::append_garbage: return "append_garbage";
    case Mutation::append_member: return "append_member";
    case Mutation::sidecar_lost: return "sidecar_lost";
    case Mutation::sidecar_version_type: return "sidecar_version_type";
    case Mutation::sidecar_raw_type: return "sidecar_raw_type";
    case Mutation::sidecar_version_swap: return "sidecar_version_swap";
    case Mutation::sidecar_raw_flip: return "sidecar_raw_flip";
    case Mutation::payload_swap: return "payload_swap";
  }
  return "?";
}

std::string_view name(Outcome o) noexcept {
  switch (o) {
    case Outcome::correct: return "correct";
    case Outcome::clean_error: return "clean_error";
    case Outcome::wrong_bytes: return "wrong_bytes";
    case Outcome::unhandled: return "unhandled";
  }
  return "?";
}

std::vector<std::uint32_t> sample_positions(std::size_t n, std::size_t k, std::uint64_t seed) {
  std::vector<std::uint32_t> out;
  if (k >= n) {
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint32_t>(i);
    return out;
  }
  // Floyd's algorithm: k distinct values, uniform.
  Rng rng(seed);
  std::unordered_set<std::uint32_t> chosen;
  chosen.reserve(k * 2);
  for (std::size_t j = n - k; j < n; ++j) {
    auto t = static_cast<std::uint32_t>(rng.below(j + 1));
    if (!chosen.insert(t).second) chosen.insert(static_cast<std::uint32_t>(j));
  }
  out.assign(chosen.begin(), chosen.end());
  std::sort(out.begin(), out.end());
  return out;
}

std::string sidecar_text(std::string_view raw_json, std::string_view version_json) {
  // json.dumps({"cas_raw": ..., "cas_version": ...}) layout.
  std::string s = "{\"cas_raw\": ";
  s += raw_json;
  s += ", \"cas_version\": ";
  s += version_json;
  s += "}";
  return s;
}

namespace {

constexpr int kGarbage = 12;

// Valid members/frames to append, built once.
struct Extras {
  Bytes gzip_member, gzip_empty, lz4_frame, lz4_empty, skippable;
  Extras() {
    static const char kText[] = "census: a second member appended after the first\n";
    ByteView extra(reinterpret_cast<const std::uint8_t*>(kText), sizeof kText - 1);
    EncodeOptions g;
    g.version = 1;
    EncodeOptions l;
    l.version = 2;
    gzip_member = encode_blob(extra, g)->bytes;
    gzip_empty = encode_blob(ByteView(), g)->bytes;
    if (auto r = encode_blob(extra, l)) lz4_frame = r->bytes;
    if (auto r = encode_blob(ByteView(), l)) lz4_empty = r->bytes;
    skippable = {0x50, 0x2A, 0x4D, 0x18, 0x08, 0, 0, 0, 'c', 'e', 'n', 's', 'u', 's', 0, 0};
  }
};
const Extras& extras() {
  static const Extras e;
  return e;
}

bool is_lz4(const Input& in) { return !in.raw && in.version == 2; }

std::size_t member_count(const Input& in) {
  if (in.raw) return 2;       // gzip member, lz4 frame (both just bytes to a raw reader)
  if (is_lz4(in)) return 3;   // lz4 frame, empty lz4 frame, skippable frame
  return 2;                   // gzip member, empty gzip member
}

std::size_t plan_count(const Input& in, Mutation m) {
  const std::size_t s = in.blob.size();
  const bool sc = in.sidecar.has_value();
  switch (m) {
    case Mutation::none: return 1;
    case Mutation::bitflip: return 8 * s;
    case Mutation::truncate: return s;
    case Mutation::insert_byte: return s + 1;
    case Mutation::delete_byte: return s;
    case Mutation::append_garbage: return kGarbage;
    case Mutation::append_member: return member_count(in);
    case Mutation::sidecar_lost: return sc ? 1 : 0;
    case Mutation::sidecar_version_type: return sc ? 4 : 0;
    case Mutation::sidecar_raw_type: return sc ? 3 : 0;
    case Mutation::sidecar_version_swap: return sc ? 1 : 0;
    case Mutation::sidecar_raw_flip: return sc ? 1 : 0;
    case Mutation::payload_swap: return sc ? (in.raw ? 2 : 1) : 0;
  }
  return 0;
}

void append(Bytes& scratch, const Bytes& blob, ByteView tail) {
  scratch.assign(blob.begin(), blob.end());
  scratch.insert(scratch.end(), tail.begin(), tail.end());
}

}  // namespace

std::vector<Plan> make_plans(const std::vector<Input>& inputs, std::size_t idx, const Limits& lim,
                             std::uint64_t seed) {
  const Input& in = inputs[idx];
  std::vector<Plan> plans;
  for (int mi = 0; mi < kMutations; ++mi) {
    auto m = static_cast<Mutation>(mi);
    Plan p;
    p.input = idx;
    p.mutation = m;
    p.seed = mix(seed, fnv1a(in.name.data(), in.name.size()) ^ static_cast<std::uint64_t>(in.variant), mi);
    std::size_t n = plan_count(in, m);
    if (n == 0) continue;
    std::size_t cap = n;
    if (m == Mutation::bitflip || m == Mutation::truncate) {
      if (in.blob.size() > lim.exhaustive_max) cap = std::min(cap, lim.sample);
    } else if (m == Mutation::insert_byte || m == Mutation::delete_byte) {
      cap = std::min(cap, lim.indel_positions);
    }
    if (lim.decode_budget && (m == Mutation::bitflip || m == Mutation::truncate || m == Mutation::insert_byte ||
                              m == Mutation::delete_byte)) {
      std::uint64_t per = std::max<std::uint64_t>({in.content_size, in.blob.size(), 1});
      cap = std::min<std::size_t>(cap, std::max<std::uint64_t>(lim.min_positions, lim.decode_budget / per));
    }
    if (cap < n) {
      p.positions = sample_positions(n, cap, p.seed);
      p.count = p.positions.size();
    } else {
      p.count = n;
    }
    plans.push_back(std::move(p));
  }
  return plans;
}

Mutant mutate(const Input& in, const Plan& plan, std::size_t i, Bytes& scratch) {
  const std::size_t pos = plan.positions.empty() ? i : plan.positions[i];
  const Bytes& b = in.blob;
  Rng rng(mix(plan.seed, i, 0x5eed));
  const std::string v = std::to_string(in.version);
  const char* raw = in.raw ? "true" : "false";
  switch (plan.mutation) {
    case Mutation::none: return {ByteView(b), in.sidecar};
    case Mutation::bitflip:
      scratch.assign(b.begin(), b.end());
      scratch[pos / 8] ^= static_cast<std::uint8_t>(1u << (pos % 8));
      return {ByteView(scratch), in.sidecar};
    case Mutation::truncate: return {ByteView(b).first(pos), in.sidecar};
    case Mutation::insert_byte:
      scratch.assign(b.begin(), b.begin() + pos);
      scratch.push_back(static_cast<std::uint8_t>(rng.next() >> 56));
      scratch.insert(scratch.end(), b.begin() + pos, b.end());
      return {ByteView(scratch), in.sidecar};
    case Mutation::delete_byte:
      scratch.assign(b.begin(), b.begin() + pos);
      scratch.insert(scratch.end(), b.begin() + pos + 1, b.end());
      return {ByteView(scratch), in.sidecar};
    case Mutation::append_garbage: {
      Bytes tail;
      switch (i) {
        case 0: tail = {0x00}; break;                    // NUL padding (Python gzip skips it)
        case 1: tail = {0x00, 0x00, 0x00, 0x00}; break;
        case 2: tail = {0x0a}; break;                    // a stray newline
        case 3: tail = {0x1f, 0x8b}; break;              // gzip magic, nothing else
        case 4: tail = {0x04, 0x22, 0x4d, 0x18}; break;  // lz4 frame magic, nothing else
        case 5: tail = {0x1f, 0x8b, 0x08, 0x00}; break;  // a gzip header cut short
        default: {
          std::size_t len = i == 6 ? 16 : i == 7 ? 1024 : 1 + rng.below(64);
          tail.resize(len);
          for (auto& c : tail) c = static_cast<std::uint8_t>(rng.next() >> 56);
          break;
        }
      }
      append(scratch, b, tail);
      return {ByteView(scratch), in.sidecar};
    }
    case Mutation::append_member: {
      const Extras& e = extras();
      const Bytes* tail;
      if (in.raw) tail = i == 0 ? &e.gzip_member : &e.lz4_frame;
      else if (is_lz4(in)) tail = i == 0 ? &e.lz4_frame : i == 1 ? &e.lz4_empty : &e.skippable;
      else tail = i == 0 ? &e.gzip_member : &e.gzip_empty;
      append(scratch, b, *tail);
      return {ByteView(scratch), in.sidecar};
    }
    case Mutation::sidecar_lost: return {ByteView(b), std::nullopt};
    case Mutation::sidecar_version_type: {
      static const char* forms[] = {"\"%\"", "%.0", "true", "null"};
      std::string f = forms[i];
      if (auto at = f.find('%'); at != std::string::npos) f.replace(at, 1, v);
      return {ByteView(b), sidecar_text(raw, f)};
    }
    case Mutation::sidecar_raw_type: {
      static const char* compressed[] = {"\"false\"", "0", "null"};
      static const char* raw_forms[] = {"\"true\"", "1", "null"};
      return {ByteView(b), sidecar_text(in.raw ? raw_forms[i] : compressed[i], v)};
    }
    case Mutation::sidecar_version_swap:
      return {ByteView(b), sidecar_text(raw, in.version == 1 ? "2" : "1")};
    case Mutation::sidecar_raw_flip: return {ByteView(b), sidecar_text(in.raw ? "false" : "true", v)};
    case Mutation::payload_swap: return {ByteView(i == 0 ? in.swapped : in.swapped2), in.sidecar};
  }
  return {ByteView(b), in.sidecar};
}

}  // namespace casblob::census
