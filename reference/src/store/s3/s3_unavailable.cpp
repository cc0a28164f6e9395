// A build without the S3 backend (CASBLOB_WITH_S3=OFF): s3:// roots fail with usage. The
// class still links (open never returns one), so callers need no #ifdef.
#include "casblob/s3_storage.hpp"

namespace casblob {

bool s3_available() noexcept { return false; }

struct S3Storage::Impl {};

namespace {
Error unavailable(std::string_view what) {
  return Error(Errc::usage, "this build of casblob has no S3 backend (CASBLOB_WITH_S3=OFF): " + std::string(what));
}
}  // namespace

Result<std::unique_ptr<S3Storage>> S3Storage::open(std::string_view url, S3Options, StorageOptions) { return unavailable(url); }
S3Storage::S3Storage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
S3Storage::~S3Storage() = default;
std::string S3Storage::url() const { return {}; }
Status S3Storage::list(std::string_view, const std::function<Status(const ObjectInfo&)>&) { return unavailable("list"); }
Result<ObjectInfo> S3Storage::stat(std::string_view) { return unavailable("stat"); }
Result<std::unique_ptr<Source>> S3Storage::open(std::string_view) { return unavailable("open"); }
Result<SidecarText> S3Storage::read_sidecar(std::string_view) { return unavailable("read_sidecar"); }
Result<Storage::OpenedBlob> S3Storage::open_blob(std::string_view) { return unavailable("open_blob"); }
Result<std::unique_ptr<PendingBlob>> S3Storage::begin_blob(std::string_view) { return unavailable("begin_blob"); }
Status S3Storage::write_sidecar(std::string_view, const std::string&) { return unavailable("write_sidecar"); }

}  // namespace casblob
