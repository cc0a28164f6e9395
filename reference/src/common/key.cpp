// OpenSSL's SHA1_Init/SHA1_Update/SHA1_Final, deprecated in 3.0 in favour of EVP, are what the
// EVP SHA-1 calls (the same SHA-NI code): EVP_DigestInit_ex2 in OpenSSL 3.0 frees and allocates
// the provider's context, consults the engine table and re-initialises the library on every
// message: ~5% of an audit's user time on small blobs (perf: EVP_MD_CTX_clear_flags, ENGINE_*,
// CRYPTO_malloc/free, OPENSSL_cleanse, OPENSSL_init_crypto per blob). A key is one message per
// blob, so casblob hashes with the low-level calls on a context kept from message to message.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "casblob/key.hpp"

#include <openssl/sha.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstdint>
#include <cstring>
#include <new>

#include <utility>

#include "common/fault_injection.hpp"

namespace casblob {

#if !defined(__SSE2__)  // the scalar parse; with SSE2, hex_values below
namespace {

// A key character's value (0-15), or kNotDigit for the 240 byte values a key may not hold.
constexpr std::uint8_t kNotDigit = 0x10;
constexpr std::array<std::uint8_t, 256> kNibble = [] {
  std::array<std::uint8_t, 256> t{};
  t.fill(kNotDigit);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<std::uint8_t>(c - 'a' + 10);
  return t;
}();

}  // namespace
#endif

#if defined(__SSE2__)
namespace {

// 16 key characters' values (0-15) and a mask of the valid ones (a bit per character): digits
// are 0x30-0x39, letters 0x61-0x66; a byte >= 0x80 is negative as int8 and fails both ranges.
__m128i hex_values(__m128i c, int& valid) {
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(c, _mm_set1_epi8('9' + 1)));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(c, _mm_set1_epi8('f' + 1)));
  valid = _mm_movemask_epi8(_mm_or_si128(digit, letter));
  // '0' -> 0 ... 'a' - '0' - 39 = 10
  return _mm_sub_epi8(_mm_sub_epi8(c, _mm_set1_epi8('0')), _mm_and_si128(letter, _mm_set1_epi8(39)));
}

// Pairs of values (high nibble first) as the low byte of each 16-bit lane.
__m128i hex_pairs(__m128i v) {
  return _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0xFF)), 4), _mm_srli_epi16(v, 8));
}

}  // namespace
#endif

// R-KEY-2: exactly 40 lowercase hexadecimal digits, before the key is used for anything.
// Every listed file name, every key of a task index and every keyed read passes here (an
// audit: ~3 per blob; the table loop below was 1% of an audit's metadata level): key_digest's
// vector steps without the values, the last one over characters 24-39.
bool is_valid_key(std::string_view key) noexcept {
  if (key.size() != 40) return false;
#if defined(__SSE2__)
  int v0, v1, v2;
  hex_values(_mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data())), v0);
  hex_values(_mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data() + 16)), v1);
  hex_values(_mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data() + 24)), v2);
  return (v0 & v1 & v2) == 0xFFFF;
#else
  unsigned bad = 0;
  for (char c : key) bad |= kNibble[static_cast<unsigned char>(c)];
  return (bad & kNotDigit) == 0;
#endif
}

std::optional<Sha1::Digest> key_digest(std::string_view key) noexcept {
  if (key.size() != 40) return std::nullopt;
  Sha1::Digest d{};
#if defined(__SSE2__)
  // Every keyed read parses its key (issue 19: a tenth of a reused 234 B raw read with the
  // table loop below): 40 characters in three vector steps.
  int v0, v1, v2;
  const __m128i a = hex_values(_mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data())), v0);
  const __m128i b = hex_values(_mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data() + 16)), v1);
  const __m128i c = hex_values(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(key.data() + 32)), v2);
  if (v0 != 0xFFFF || v1 != 0xFFFF || (v2 & 0xFF) != 0xFF) return std::nullopt;
  alignas(16) std::uint8_t tail[16];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(d.data()), _mm_packus_epi16(hex_pairs(a), hex_pairs(b)));
  _mm_store_si128(reinterpret_cast<__m128i*>(tail), _mm_packus_epi16(hex_pairs(c), _mm_setzero_si128()));
  std::memcpy(d.data() + 16, tail, 4);
#else
  unsigned bad = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const unsigned hi = kNibble[static_cast<unsigned char>(key[2 * i])];
    const unsigned lo = kNibble[static_cast<unsigned char>(key[2 * i + 1])];
    bad |= hi | lo;
    d[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  if (bad & kNotDigit) return std::nullopt;
#endif
  return d;
}

std::string object_path(std::string_view prefix, std::string_view key) {
  std::string p{prefix};
  if (!p.empty() && p.back() != '/') p += '/';
  p.append(key.substr(0, 2)).append("/").append(key);
  return p;
}

namespace {

namespace fault = detail::fault;

}  // namespace

Sha1::~Sha1() { delete ctx_; }

Sha1::Sha1(Sha1&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)),
      started_(std::exchange(other.started_, false)),
      error_(std::move(other.error_)) {}

Sha1& Sha1::operator=(Sha1&& other) noexcept {
  if (this != &other) {
    delete ctx_;
    ctx_ = std::exchange(other.ctx_, nullptr);
    started_ = std::exchange(other.started_, false);
    error_ = std::move(other.error_);
  }
  return *this;
}

Status Sha1::fail(const char* what) {
  started_ = false;
  error_ = Error(Errc::io_error, std::string("sha1: OpenSSL ") + what + " failed");
  return error_;
}

// Makes the context on first use and initialises it for a new message.
Status Sha1::start() {
  if (!error_.ok()) return error_;
  if (started_) return {};
  if (!ctx_) {
    ctx_ = fault::should_fail(fault::Site::sha1_init) ? nullptr : new (std::nothrow) SHA_CTX;
    if (!ctx_) return fail("SHA_CTX allocation");
  }
  if (fault::should_fail(fault::Site::sha1_init) || SHA1_Init(ctx_) != 1) return fail("SHA1_Init");
  started_ = true;
  return {};
}

Status Sha1::update(ByteView data) {
  CASBLOB_TRY(start());
  if (fault::should_fail(fault::Site::sha1_update) || (!data.empty() && SHA1_Update(ctx_, data.data(), data.size()) != 1))
    return fail("SHA1_Update");
  return {};
}

Result<Sha1::Digest> Sha1::digest() {
  CASBLOB_TRY(start());
  Digest out{};
  started_ = false;  // the next message needs a new SHA1_Init, on the same context
  if (fault::should_fail(fault::Site::sha1_final) || SHA1_Final(out.data(), ctx_) != 1) return fail("SHA1_Final").error();
  return out;
}

Result<std::string> Sha1::hex_digest() {
  auto d = digest();
  if (!d) return d.error();
  return to_hex(*d);
}

void Sha1::reset() noexcept {
  started_ = false;
  error_ = Status{};
}

// Every save spells its key (R-KEY-1: lowercase hex): byte by byte, a table look-up per digit
// was 7% of a 234 B raw save (issue 19). SSE2 spells 16 bytes at a time: each nibble n becomes
// '0' + n, plus 'a' - '0' - 10 where n > 9.
void to_hex(ByteView data, char* out) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i low_nibble = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
  const __m128i zero_char = _mm_set1_epi8('0'), letter_gap = _mm_set1_epi8('a' - '0' - 10);
  auto spell = [&](__m128i nibbles) {
    __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(nibbles, nine), letter_gap);
    return _mm_add_epi8(_mm_add_epi8(nibbles, zero_char), letters);
  };
  for (; i + 16 <= data.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data() + i));
    __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low_nibble), lo = _mm_and_si128(v, low_nibble);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i), spell(_mm_unpacklo_epi8(hi, lo)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i + 16), spell(_mm_unpackhi_epi8(hi, lo)));
  }
#endif
  static constexpr char kHex[] = "0123456789abcdef";
  for (; i < data.size(); ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
}

std::string HexDigest::str() const { return set_ ? to_hex(ByteView(digest_.data(), digest_.size())) : std::string(); }

bool operator==(const HexDigest& a, std::string_view b) noexcept {
  if (!a.set_) return b.empty();
  if (b.size() != 40) return false;
  char hex[40];
  to_hex(ByteView(a.digest_.data(), a.digest_.size()), hex);
  return std::string_view(hex, sizeof hex) == b;
}

std::string to_hex(ByteView data) {
  std::string s(data.size() * 2, '\0');
  to_hex(data, s.data());
  return s;
}

Result<std::string> sha1_hex(ByteView data) {
  Sha1 h;
  CASBLOB_TRY(h.update(data));
  return h.hex_digest();
}

Status HashingSink::write(ByteView data) {
  CASBLOB_TRY(sha1_.update(data));
  count_ += data.size();
  return next_ ? next_->write(data) : Status{};
}

}  // namespace casblob
