// The one place a datastore name becomes a backend: every command that takes a root uses it.
#include "casblob/store.hpp"

namespace casblob {

Result<std::unique_ptr<Storage>> open_storage(const std::string& root, StorageOptions opts) {
  if (root.rfind("s3://", 0) == 0) return Error(Errc::usage, "this build of casblob has no S3 backend: " + root);
  auto local = LocalStorage::open(root, opts);
  if (!local) return local.error();
  return std::unique_ptr<Storage>(std::move(*local));
}

}  // namespace casblob
