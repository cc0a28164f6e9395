// Metaflow's local datastore: <root>/<flow>/data/<key[:2]>/<key> and <key>_meta (spec 3.2, 4.2).
#pragma once

#include <string>

#include "casblob/reader.hpp"
#include "casblob/writer.hpp"

namespace casblob {

class LocalStore {
 public:
  LocalStore(std::string root, std::string flow);
  std::string prefix() const;  // "<root>/<flow>/data"

  // Hashes, encodes and stores `file` unless its key is already present (Metaflow skips
  // existing objects); blob and sidecar are each written to a temp file and renamed.
  Result<EncodeInfo> put(const std::string& file, const EncodeOptions& opts);

  // not_found when the blob is absent; otherwise decode_blob with the key known.
  Result<DecodeInfo> get(const std::string& key, const ReadOptions& opts, Sink& out);

 private:
  std::string root_, flow_;
};

}  // namespace casblob
