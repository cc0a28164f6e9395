// Which exception Python's gzip module raises where casblob's gzip decoder (in its
// python_compatible mode) reports an error: for readers that let it escape (profile pre-cas,
// spec 7), the exception is the outcome. Internal.
#pragma once

#include <cstdint>
#include <optional>

#include "casblob/error.hpp"
#include "casblob/experimental/gzip.hpp"
#include "casblob/io.hpp"

namespace casblob::detail {

// What the exception depends on beyond the decoder's detail: an input that ends inside a gzip
// magic number (a lone 1F, first or after a member) is `BadGzipFile: Not a gzipped file`
// (`_read_gzip_header` got fewer than two bytes), an input that ends later is `EOFError`. The
// decoder says `truncated` for both; the last bytes seen tell them apart.
class GzipInputTail {
 public:
  void observe(ByteView in);
  bool ends_in_magic(const GzipReport& report) const;

 private:
  std::uint64_t size_ = 0;
  std::uint8_t last_ = 0;
  std::optional<std::uint64_t> last_nonzero_, prev_nonzero_;  // offsets of the last two non-NUL bytes
};

// Errc::unhandled whose message starts with the Python exception class ("BadGzipFile: ",
// "EOFError: ", "zlib.error: "), for a corrupt error of GzipDecoder (python_compatible
// options); any other error (an output that failed: io_error) is returned as it is.
Error python_gzip_exception(const Error& codec_error, const GzipReport& report, const GzipInputTail& tail);

}  // namespace casblob::detail
