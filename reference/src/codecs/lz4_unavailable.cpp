// Built instead of lz4_*.cpp when CASBLOB_WITH_LZ4=OFF (spec 5.4, profile v2-nolz4): the
// format is known, its codec is not there, so every entry point fails codec_unavailable.
#include "casblob/experimental/lz4_frame.hpp"

namespace casblob {
namespace {

Error unavailable() {
  return Error(Errc::codec_unavailable, "lz4: casblob was built without lz4 (CASBLOB_WITH_LZ4=OFF)");
}

}  // namespace

bool lz4_available() noexcept { return false; }

struct Lz4Writer::Impl {};
Lz4Writer::Lz4Writer(Sink&, Lz4WriteOptions) {}
Lz4Writer::~Lz4Writer() = default;
Status Lz4Writer::write(ByteView) { return unavailable(); }
Status Lz4Writer::finish() { return unavailable(); }
void Lz4Writer::reset(Sink&, Lz4WriteOptions) {}

struct Lz4Decoder::Impl {
  Lz4Report report;
};
Lz4Decoder::Lz4Decoder(Sink&, Lz4ReadOptions) : impl_(std::make_unique<Impl>()) {}
Lz4Decoder::~Lz4Decoder() = default;
Status Lz4Decoder::update(ByteView) { return unavailable(); }
Status Lz4Decoder::finish() { return unavailable(); }
const Lz4Report& Lz4Decoder::report() const { return impl_->report; }
void Lz4Decoder::reset(Sink&, Lz4ReadOptions) {}

}  // namespace casblob
