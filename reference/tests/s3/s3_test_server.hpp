// The S3 test server (s3_server.py) as the C++ tests see it: its endpoint and account, a fresh
// bucket per test, the fault proxy's controls and counters.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "casblob/s3_storage.hpp"

namespace casblob::test {

struct S3TestServer {
  std::string endpoint;         // the fault proxy (every request is signature-checked there)
  std::string server_endpoint;  // s3rver itself
  std::string access_key, secret_key, region;

  // From $CASBLOB_S3_STATE (state.json written by `s3_server.py start`); skips the test when unset.
  static const S3TestServer& get();

  // Options for a storage on this server: its credentials, short backoffs (tests stay fast).
  S3Options options() const;
  // Creates a bucket with a name unique to this process and `label`; returns its name.
  std::string new_bucket(const std::string& label) const;
  // A signed request by the test itself (creating buckets, planting objects); returns the status.
  long request(const std::string& method, const std::string& path, const std::string& body = "",
               const std::vector<std::string>& headers = {}, std::string* response = nullptr) const;
  // Fault rules for the proxy (s3proxy.py), and one bucket's counters.
  void inject(const nlohmann::json& rules) const;
  nlohmann::json stats(const std::string& bucket) const;
};

}  // namespace casblob::test
