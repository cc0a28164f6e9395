// The pre-CAS datastore (Metaflow 2.0.0-2.3.6, profile pre-cas; spec 7): LocalDataStore.load_data
// is `with gzip.open(self.object_path(sha), 'rb') as f: return f.read()` and S3DataStore's is
// `gzip.GzipFile(fileobj=buf).read()`. The sidecar did not exist yet: whatever a later writer
// put beside the blob (`<key>_meta`, object metadata) is never opened, so a v2 or raw blob is
// gunzipped like any other (spec 11.4, the verdict per reader generation).
#include "read/dispatch.hpp"

namespace casblob::detail {

Result<Encoding> dispatch_pre_cas(const SidecarText&) { return Encoding::gzip_pre_cas; }

}  // namespace casblob::detail
