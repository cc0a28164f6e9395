#include "read/python_gzip_exception.hpp"

#include <string>

namespace casblob::detail {

void GzipInputTail::observe(ByteView in) {
  if (in.empty()) return;
  // The last two non-NUL bytes of this chunk, found from its end (usually at once: data is
  // rarely NUL), shift into the running pair.
  std::optional<std::uint64_t> found[2];
  int n = 0;
  for (std::size_t i = in.size(); i-- > 0 && n < 2;)
    if (in[i] != 0) found[n++] = size_ + i;
  if (n == 2) {
    last_nonzero_ = found[0];
    prev_nonzero_ = found[1];
  } else if (n == 1) {
    prev_nonzero_ = last_nonzero_;
    last_nonzero_ = found[0];
  }
  size_ += in.size();
  last_ = in.back();
}

bool GzipInputTail::ends_in_magic(const GzipReport& report) const {
  if (size_ == 0 || last_ != 0x1f) return false;
  // End of the last complete member; the report lists the first members only, so beyond them
  // the end is unknown and EOFError (the common case) is assumed.
  std::uint64_t end = 0;
  if (report.member_count > 0) {
    if (report.members.size() != report.member_count) return false;
    const auto& m = report.members.back();
    end = m.offset + m.header_size + m.compressed_size + 8;
  }
  // The final 1F begins a member when only NUL padding lies between that end and it.
  return size_ - 1 >= end && (!prev_nonzero_ || *prev_nonzero_ < end);
}

namespace {

Error raised(const char* python_exception, const char* python_message, const Error& codec_error) {
  return Error(Errc::unhandled,
               std::string(python_exception) + ": " + python_message + " (" + codec_error.message + ")");
}

}  // namespace

Error python_gzip_exception(const Error& e, const GzipReport& report, const GzipInputTail& tail) {
  if (e.code != Errc::corrupt) return e;
  // The messages are Python 3.11's (Lib/gzip.py, zlib); Python <= 3.7 raises OSError where
  // 3.8+ raises BadGzipFile (its subclass): spec, release-history appendix.
  switch (e.detail) {
    case Detail::bad_magic:
    case Detail::trailing_data:  // the next "member" is read as a header: its magic is wrong
      return raised("BadGzipFile", "Not a gzipped file", e);
    case Detail::header:  // python_compatible checks CM only
      return raised("BadGzipFile", "Unknown compression method", e);
    case Detail::checksum: return raised("BadGzipFile", "CRC check failed", e);
    case Detail::size_mismatch: return raised("BadGzipFile", "Incorrect length of data produced", e);
    case Detail::data: return raised("zlib.error", "Error -3 while decompressing data", e);
    case Detail::truncated:
      if (tail.ends_in_magic(report)) return raised("BadGzipFile", "Not a gzipped file (b'\\x1f')", e);
      return raised("EOFError", "Compressed file ended before the end-of-stream marker was reached", e);
    case Detail::none: break;
  }
  return raised("BadGzipFile", "invalid gzip data", e);
}

}  // namespace casblob::detail
