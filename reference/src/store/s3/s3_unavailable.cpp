// A build without the S3 backend (CASBLOB_WITH_S3=OFF): s3:// roots fail with usage.
#include "casblob/s3_storage.hpp"

namespace casblob {

bool s3_available() noexcept { return false; }

Result<std::unique_ptr<S3Storage>> S3Storage::open(std::string_view url, S3Options, StorageOptions) {
  return Error(Errc::usage, "this build of casblob has no S3 backend (CASBLOB_WITH_S3=OFF): " + std::string(url));
}

}  // namespace casblob
