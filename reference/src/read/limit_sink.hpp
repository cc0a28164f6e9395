// Step 11 of spec 6.1 (R-READ-5): the output limit, enforced while decoding (internal).
#pragma once

#include <cstdint>
#include <string>

#include "casblob/io.hpp"

namespace casblob::detail {

// Stops as soon as the output would pass `max`, before writing any of the bytes that would
// (so nothing beyond the limit is ever produced or allocated downstream).
class LimitSink final : public Sink {
 public:
  LimitSink(Sink& next, std::uint64_t max) : next_(next), max_(max) {}
  Status write(ByteView data) override {
    if (data.size() > max_ - count_)
      return Error(Errc::limit_exceeded, "decoded output passes the limit of " + std::to_string(max_) + " bytes");
    count_ += data.size();
    return next_.write(data);
  }

 private:
  Sink& next_;
  std::uint64_t max_, count_ = 0;
};

}  // namespace casblob::detail
