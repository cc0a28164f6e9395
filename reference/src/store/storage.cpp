// What every Storage backend shares unless it does better.
#include "casblob/store.hpp"

namespace casblob {

Result<Storage::OpenedBlob> Storage::open_blob(std::string_view blob_path) {
  auto payload = open(blob_path);
  if (!payload) return payload.error();
  auto sidecar = read_sidecar(blob_path);
  if (!sidecar) return sidecar.error();
  return OpenedBlob{std::move(*payload), std::move(*sidecar), std::nullopt};
}

Status Storage::list_types(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) {
  return list(dir, each);
}

Status Storage::move_to_quarantine(std::string_view path, const std::string&, std::string_view) {
  return Error(Errc::usage, url() + ": this backend cannot quarantine " + std::string(path) +
                                " (it has no move into a local folder): give no --quarantine");
}

}  // namespace casblob
