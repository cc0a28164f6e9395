// The input of decode_blob_fuzzer and pre_cas_fuzzer (one layout, one folder of seeds and bug
// inputs: fuzz/harnesses): a blob, its sidecar, the read options.
//
// Layout (trailer read from the end, FuzzedDataProvider style):
//   [key bytes (20, mode 2 only)][sidecar (len bytes)][payload ...]
//   ... [mutations (mode 3)][encode options (mode 3)][sidecar len u16][chunk seed u32][flags u8]
// flags: bits 0-1 profile (legacy, v2, v2-nolz4, strict); bit 2 sidecar present;
//        bits 3-4 key mode: 0 none, 1 SHA-1 of the payload, 2 20 input bytes as hex (random),
//                           3 self-encoded: the payload is CONTENT that the harness encodes
//                             (v1/v2/raw, input-chosen options), then mutates; key = true key;
//        bits 5-7 strict output limit: 0 default (4 GiB), else one of 0, 1, 16, 255, 4 Ki, 64 Ki, 1 Mi.
#pragma once

#include "fuzz_common.hpp"

namespace fuzz {

using namespace casblob;

struct SelfEncoded {
  bool ok = false;
  Bytes content;
  EncodeOptions opts;
  EncodeInfo info;
  unsigned mutations = 0;
};

inline EncodeOptions encode_options(FuzzedDataProvider& fdp) {
  EncodeOptions o;
  const auto b = fdp.ConsumeIntegral<std::uint8_t>();
  o.version = (b & 1) ? 2 : 1;
  o.raw = (b & 0x0e) == 0x0e;  // 1 in 8
  o.gzip.level = fdp.ConsumeIntegralInRange<int>(0, 9);
  o.gzip.mtime = fdp.ConsumeIntegral<std::uint32_t>();
  if (b & 0x10) o.gzip.file_name = "blob";
  o.lz4.level = fdp.ConsumeIntegralInRange<int>(0, 12);
  o.lz4.block_size = static_cast<Lz4BlockSize>(4 + ((b >> 5) & 3));
  o.lz4.independent_blocks = b & 0x80;
  o.lz4.content_checksum = b & 0x02;
  o.lz4.block_checksum = b & 0x04;
  return o;
}

// Overwrite / truncate / append / insert, positions from the input.
inline void mutate(Bytes& blob, FuzzedDataProvider& fdp, unsigned count) {
  for (unsigned i = 0; i < count; ++i) {
    const auto op = fdp.ConsumeIntegral<std::uint8_t>();
    const auto where = fdp.ConsumeIntegral<std::uint16_t>();
    const auto value = fdp.ConsumeIntegral<std::uint8_t>();
    const std::size_t pos = blob.empty() ? 0 : where % (blob.size() + 1);
    switch (op & 3) {
      case 0:
        if (!blob.empty()) blob[pos % blob.size()] ^= value ? value : 1;
        break;
      case 1: blob.resize(pos); break;
      case 2: blob.push_back(value); break;
      case 3: blob.insert(blob.begin() + static_cast<std::ptrdiff_t>(pos), value); break;
    }
  }
}


// What a long-lived reader keeps (BlobDecoder and the reuse overloads), from input to input.
struct KeptReader {
  BlobDecoder decoder;
  Bytes out;
  MemorySink sink;
  Result<DecodeInfo> read(ByteView payload, const SidecarText& sidecar, const ReadOptions& ro) {
    return decode_blob(decoder, payload, sidecar, ro, out);
  }
};

struct BlobInput {
  Profile profile = Profile::strict;
  bool has_sidecar = false, strict = false;
  int key_mode = 0;
  std::uint32_t seed = 0;
  ReadOptions ro;
  SidecarText sidecar;
  Bytes payload;
  SelfEncoded self;
};

inline BlobInput parse_blob_input(const std::uint8_t* data, std::size_t size) {
  static constexpr std::uint64_t kLimits[8] = {kDefaultMaxSize, 0, 1, 16, 255, 4096, 65536, 1u << 20};
  // Fixed here, not kAllProfiles' order: a corpus input keeps its profile when profiles are added.
  static constexpr Profile kFlagProfiles[4] = {Profile::legacy, Profile::v2, Profile::v2_nolz4, Profile::strict};
  BlobInput in;
  FuzzedDataProvider fdp(data, size);
  const auto flags = fdp.ConsumeIntegral<std::uint8_t>();
  in.profile = kFlagProfiles[flags & 3];
  in.has_sidecar = flags & 4;
  in.key_mode = (flags >> 3) & 3;
  in.strict = in.profile == Profile::strict;
  in.seed = fdp.ConsumeIntegral<std::uint32_t>();
  const auto sidecar_len = fdp.ConsumeIntegral<std::uint16_t>();

  in.ro.profile = in.profile;
  in.ro.max_size = kLimits[flags >> 5];
  in.ro.chunk = std::size_t{1} << 16;  // the 1 MiB default costs an mmap per call under ASan

  if (in.key_mode == 3) {
    SelfEncoded& self = in.self;
    self.opts = encode_options(fdp);
    self.mutations = fdp.ConsumeIntegralInRange<unsigned>(0, 3);
    Bytes muts = fdp.ConsumeBytes<std::uint8_t>(4 * self.mutations);  // op, pos(2), value
    self.content = fdp.ConsumeRemainingBytes<std::uint8_t>();
    // A kept encoder (its contexts reset, the lz4 HC state not zeroed again per input): the
    // roundtrip harness compares it with encode_blob.
    static BlobEncoder encoder;
    auto enc = encoder.encode(ByteView(self.content), self.opts, in.payload);
    FUZZ_ASSERT_MSG(enc.ok(), "encode failed: " + enc.error().label());
    self.info = std::move(enc.value());
    self.ok = true;
    FuzzedDataProvider mfdp(muts.data(), muts.size());
    mutate(in.payload, mfdp, self.mutations);
    if (in.has_sidecar) in.sidecar = self.info.meta;
    in.ro.key = self.info.key;
  } else {
    std::string key;
    if (in.key_mode == 2) key = to_hex(ByteView(fdp.ConsumeBytes<std::uint8_t>(20)));
    if (in.has_sidecar) in.sidecar = fdp.ConsumeBytesAsString(sidecar_len);
    in.payload = fdp.ConsumeRemainingBytes<std::uint8_t>();
    if (in.key_mode == 1) key = sha1_hex(ByteView(in.payload)).value();
    if (in.key_mode == 1 || (in.key_mode == 2 && key.size() == 40)) in.ro.key = key;
  }
  return in;
}

}  // namespace fuzz
