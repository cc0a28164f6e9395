// Steps 9 and 10 of spec 6.1: the payload decoder an encoding selects, with the codec options
// of the profile (strict: spec 5.2.2 / 5.4.2; the modelled readers: Python 3.11 gzip and
// python-lz4 4.0.2, Appendix A.1 / A.2; pre-CAS Metaflow: spec 7). Internal.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "casblob/io.hpp"
#include "casblob/reader.hpp"

namespace casblob::detail {

class PayloadDecoder {
 public:
  virtual ~PayloadDecoder() = default;
  virtual Status update(ByteView in) = 0;
  virtual Status finish() = 0;
  // The codec's counts that DecodeInfo carries (gzip: members, padding; lz4: frames, trailing
  // bytes, checksums): what notes() words.
  virtual void add_counts(DecodeInfo&) const {}
  // A new payload for `out`, as a fresh decoder, keeping the codec's contexts and buffers.
  virtual void reset(Sink& out, bool strict) = 0;
};

// The payload decoders of one BlobDecoder, kept from blob to blob (issue 19): select() resets
// the one the encoding needs -- its inflate stream, its lz4 buffers -- instead of making a new
// one per blob. Never fails: every Encoding has a decoder.
class PayloadDecoders {
 public:
  PayloadDecoders();
  ~PayloadDecoders();
  PayloadDecoder& select(Encoding enc, bool strict, Sink& out);

 private:
  std::unique_ptr<PayloadDecoder> raw_, gzip_, lz4_, pre_cas_;
};

}  // namespace casblob::detail
