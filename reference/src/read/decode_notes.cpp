// DecodeInfo's counts in words (reader.hpp: notes()). The sentences are spelled here only, when
// a caller asks for them; a read records numbers.
#include <string>
#include <vector>

#include "casblob/reader.hpp"

namespace casblob {
namespace {

bool is_gzip(Encoding e) {
  return e == Encoding::gzip_v1 || e == Encoding::gzip_nosidecar || e == Encoding::gzip_pre_cas;
}

}  // namespace

std::vector<std::string> notes(const DecodeInfo& info) {
  std::vector<std::string> out;
  if (is_gzip(info.encoding)) {
    if (info.gzip_members > 1) out.push_back(std::to_string(info.gzip_members) + " gzip members concatenated");
    if (info.gzip_members == 0) out.push_back("empty payload read as empty content (Python gzip)");
    if (info.gzip_padding_bytes)
      out.push_back(std::to_string(info.gzip_padding_bytes) + " NUL padding bytes skipped");
  }
  if (info.encoding == Encoding::lz4_v2) {
    if (info.lz4_trailing_bytes)
      out.push_back(std::to_string(info.lz4_trailing_bytes) + " bytes after the first frame ignored (python-lz4)");
    if (info.lz4_data_frames > 1) out.push_back(std::to_string(info.lz4_data_frames) + " lz4 frames concatenated");
    if (info.lz4_unchecked_frames)
      out.push_back("lz4 frame without content checksum: bit flips in block data go undetected");
  }
  return out;
}

}  // namespace casblob
