// The input of step 12 of spec 6.1 (R-KEY-5): the SHA-1 and length of the content as it
// leaves the payload decoder on its way to the caller's sink (internal).
#pragma once

#include <cstdint>
#include <string>

#include "casblob/experimental/direct_sink.hpp"
#include "casblob/key.hpp"

namespace casblob::detail {

// Hashes what passes through to `next`. Lends `next`'s memory when `next` is a DirectSink
// (the bytes are hashed at commit(), right after the decoder wrote them, while they are in
// cache). reset() starts a new content and keeps the digest context (Sha1::reset).
class DigestSink final : public DirectSink {
 public:
  void reset(Sink& next) {
    next_ = &next;
    direct_ = lending_sink(next);
    sha1_.reset();
    count_ = 0;
    room_ = nullptr;
  }
  bool direct() const noexcept override { return direct_ != nullptr; }
  Status write(ByteView data) override {
    CASBLOB_TRY(sha1_.update(data));
    count_ += data.size();
    return next_->write(data);
  }
  Result<std::span<std::uint8_t>> room(std::size_t n) override {
    auto r = direct_->room(n);
    if (r) room_ = r->data();
    return r;
  }
  Status commit(std::size_t n) override {
    CASBLOB_TRY(sha1_.update(ByteView(room_, n)));
    count_ += n;
    room_ += n;  // the rest of the room stays room (direct_sink.hpp)
    return direct_->commit(n);
  }
  std::uint64_t count() const noexcept { return count_; }
  Result<Sha1::Digest> digest() { return sha1_.digest(); }
  Result<std::string> hex_digest() { return sha1_.hex_digest(); }

 private:
  Sink* next_ = nullptr;
  DirectSink* direct_ = nullptr;
  Sha1 sha1_;
  std::uint64_t count_ = 0;
  const std::uint8_t* room_ = nullptr;
};

}  // namespace casblob::detail
