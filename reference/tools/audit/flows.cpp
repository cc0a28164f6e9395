#include "audit/flows.hpp"


namespace casblob::audit {

Status find_named_flow(Storage& storage, const std::string& flow) {
  CASBLOB_TRY(check_flow_name(flow));
  auto data = storage.stat(cas_prefix(flow));
  if (!data && data.error().code != Errc::not_found) return data.error();
  if (!data || data->type != ObjectInfo::Type::directory)
    return Error(Errc::not_found, "no flow " + flow + " (no " + flow + "/data folder) in " + storage.url());
  return {};
}

}  // namespace casblob::audit
