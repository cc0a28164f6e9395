// Step 11 of spec 6.1 (R-READ-5): the output limit, enforced while decoding (internal).
#pragma once

#include <cstdint>
#include <string>

#include "casblob/experimental/direct_sink.hpp"
#include "casblob/io.hpp"

namespace casblob::detail {

// Stops as soon as the output would pass `max`, before passing on any of the bytes that would
// (so nothing beyond the limit is ever produced downstream). When `next` lends its memory
// (DirectSink), so does this sink: a decoder writes into `next`'s room, and commit() admits the
// bytes or fails with the limit before `next` counts them.
class LimitSink final : public DirectSink {
 public:
  LimitSink() = default;
  LimitSink(Sink& next, std::uint64_t max) { reset(next, max); }
  void reset(Sink& next, std::uint64_t max) {
    next_ = &next;
    direct_ = lending_sink(next);
    max_ = max;
    count_ = 0;
  }
  bool direct() const noexcept override { return direct_ != nullptr; }
  Status write(ByteView data) override {
    CASBLOB_TRY(admit(data.size()));
    return next_->write(data);
  }
  Result<std::span<std::uint8_t>> room(std::size_t n) override { return direct_->room(n); }
  Status commit(std::size_t n) override {
    CASBLOB_TRY(admit(n));
    return direct_->commit(n);
  }

 private:
  Status admit(std::size_t n) {
    if (n > max_ - count_)
      return Error(Errc::limit_exceeded, "decoded output passes the limit of " + std::to_string(max_) + " bytes");
    count_ += n;
    return {};
  }
  Sink* next_ = nullptr;
  DirectSink* direct_ = nullptr;
  std::uint64_t max_ = 0, count_ = 0;
};

}  // namespace casblob::detail
