// The one place a datastore name becomes a backend: every command that takes a root uses it.
#include "casblob/s3_storage.hpp"
#include "casblob/store.hpp"

namespace casblob {

Result<std::unique_ptr<Storage>> open_storage(const std::string& root, StorageOptions opts) {
  if (root.rfind("s3://", 0) == 0) {
    // Configured as the AWS tools and Metaflow find it (spec 4.2.2); the CLI's --endpoint-url wins.
    auto options = s3_options_from_environment(process_environment(), opts.endpoint_url);
    if (!options) return options.error();
    auto s3 = S3Storage::open(root, std::move(*options), opts);
    if (!s3) return s3.error();
    return std::unique_ptr<Storage>(std::move(*s3));
  }
  auto local = LocalStorage::open(root, opts);
  if (!local) return local.error();
  return std::unique_ptr<Storage>(std::move(*local));
}

}  // namespace casblob
