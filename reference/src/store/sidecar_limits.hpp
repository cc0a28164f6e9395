// Reading a sidecar from an opened source within the size bound of spec 10.2 (internal): the
// one loader behind LocalStorage::read_sidecar and read_sidecar_file.
#pragma once

#include <string>

#include "casblob/store.hpp"

namespace casblob::detail {

// not_found -> absent; longer than kMaxSidecarBytes -> meta_invalid (not read to its end).
// `shown` names the file in messages.
Result<SidecarText> read_sidecar_source(Result<FileSource> src, const FileSource::ShownName& shown);

}  // namespace casblob::detail
