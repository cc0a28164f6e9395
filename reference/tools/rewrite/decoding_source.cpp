#include "rewrite/decoding_source.hpp"

#include <algorithm>
#include <cstring>

namespace casblob::rewrite {
namespace {

// Small reads bound the buffer: gzip expands at most about 1032:1, so 16 KiB of payload is at
// most 17 MB of content in memory, whatever the blob's size.
constexpr std::size_t kReadChunk = 16 * 1024;

ReadOptions strict_with_key(const std::string& key, std::uint64_t max_size) {
  ReadOptions ro;
  ro.profile = Profile::strict;
  ro.key = key;
  ro.max_size = max_size;
  return ro;
}

}  // namespace

Status DecodingSource::Buffer::write(ByteView data) {
  if (pos == bytes.size()) {
    bytes.clear();
    pos = 0;
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  return {};
}

DecodingSource::DecodingSource(std::unique_ptr<Source> payload, const SidecarText& sidecar, const std::string& key,
                               std::uint64_t max_size, std::optional<std::uint64_t> content_size, bool salvage)
    : payload_(std::move(payload)),
      key_(key),
      content_size_(content_size),
      salvage_(salvage),
      decoder_(sidecar, strict_with_key(key, max_size), out_),
      chunk_(kReadChunk) {}

Status DecodingSource::finish_reading() {
  done_ = true;
  auto info = decoder_.finish();
  if (info.ok()) return {};
  // R-FWD-5 for a broken trailer: what the reader emitted before it failed is proven by the key.
  auto emitted = decoder_.emitted();
  if (salvage_ && emitted && emitted->sha1 == key_) return {};
  return info.error();
}

Result<std::size_t> DecodingSource::read(std::span<std::uint8_t> buf) {
  while (out_.pos == out_.bytes.size() && !done_) {
    auto n = payload_->read(chunk_);
    if (!n) return n.error();
    if (*n == 0) {
      CASBLOB_TRY(finish_reading());
      break;
    }
    if (Status s = decoder_.update(ByteView(chunk_.data(), *n)); !s.ok()) {
      // Sticky: the verdict is known. Whatever was emitted is judged by finish_reading().
      CASBLOB_TRY(finish_reading());
      break;
    }
  }
  const std::size_t n = std::min(buf.size(), out_.bytes.size() - out_.pos);
  if (n) std::memcpy(buf.data(), out_.bytes.data() + out_.pos, n);
  out_.pos += n;
  return n;
}

Status TeeSink::write(ByteView data) {
  CASBLOB_TRY(first_.write(data));
  (void)verifier_.update(data);  // its verdict is read at finish(): sticky
  return {};
}

}  // namespace casblob::rewrite
