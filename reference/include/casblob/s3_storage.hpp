// A datastore on S3 or an S3-compatible object store (spec 4.2, 4.2.1-4.2.2): `s3://bucket/prefix`
// behind the Storage interface of store.hpp, so that get, put, audit, repair and migrate run
// on it unchanged. The sidecar is the object's user metadata `metaflow-user-attributes`
// (HTTP header x-amz-meta-metaflow-user-attributes), written in the same PUT as the payload.
//
// Built when casblob is configured with CASBLOB_WITH_S3 (libcurl, expat); otherwise
// s3_available() is false and S3Storage::open fails with usage.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "casblob/store.hpp"

namespace casblob {

bool s3_available() noexcept;

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term keys
  std::string source;         // where they were found, for messages ("environment", "profile dev in ~/.aws/credentials")
};

struct S3Options {
  // "" = AWS itself (https://s3.<region>.amazonaws.com, virtual-hosted bucket names); any other
  // endpoint ("http://127.0.0.1:9000", a MinIO, R2 or Ceph RGW URL) is addressed path-style:
  // <endpoint>/<bucket>/<key>.
  std::string endpoint_url;
  std::string region = "us-east-1";
  std::optional<S3Credentials> credentials;  // nullopt: none found (open fails with a clear usage error)
  unsigned jobs = 8;          // connections kept open for reuse: the parallel requests expected
  unsigned max_attempts = 7;  // per request, the first included (Metaflow's S3_RETRY_COUNT is 7)
  std::chrono::milliseconds backoff_base{100};  // full-jitter exponential backoff between attempts
  std::chrono::milliseconds backoff_max{5000};
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds stall_timeout{60};  // a transfer that moves no byte for this long is retried
};

// The environment as the AWS tools and Metaflow read it; `getenv` is the lookup (tests pass
// their own). Precedence, first found wins:
//   endpoint:    `endpoint_override` (--endpoint-url), METAFLOW_S3_ENDPOINT_URL (Metaflow passes it
//                to boto3 explicitly, so it beats the AWS variables), AWS_ENDPOINT_URL_S3,
//                AWS_ENDPOINT_URL, `endpoint_url` of the profile in the config file
//   credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), then the
//                profile (AWS_PROFILE, else "default") in AWS_SHARED_CREDENTIALS_FILE
//                (~/.aws/credentials), then in AWS_CONFIG_FILE (~/.aws/config, "[profile NAME]")
//   region:      AWS_REGION, AWS_DEFAULT_REGION, `region` of the profile, "us-east-1"
// Not read (documented in spec 4.2.2): SSO, credential_process, web identity, container and
// instance-metadata credentials. Fails (usage) only on an unreadable or malformed file that
// was named explicitly, or a named profile that exists nowhere.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_environment();
Result<S3Options> s3_options_from_environment(const EnvLookup& getenv, const std::string& endpoint_override = {});

// "s3://bucket/prefix" split: bucket, and the prefix without leading or trailing '/'.
struct S3Url {
  std::string bucket;
  std::string prefix;
};
Result<S3Url> parse_s3_url(std::string_view url);  // usage when not s3://<valid bucket>[/prefix]

class S3Storage final : public Storage {
 public:
  static Result<std::unique_ptr<S3Storage>> open(std::string_view url, S3Options options, StorageOptions opts = {});
  ~S3Storage() override;
  std::string url() const override;

  Status list(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) override;
  Result<ObjectInfo> stat(std::string_view path) override;
  Result<std::unique_ptr<Source>> open(std::string_view path) override;
  Result<SidecarText> read_sidecar(std::string_view blob_path) override;
  Result<OpenedBlob> open_blob(std::string_view blob_path) override;  // one GET
  Result<std::unique_ptr<PendingBlob>> begin_blob(std::string_view dir) override;
  Status write_sidecar(std::string_view blob_path, const std::string& sidecar) override;

  struct Impl;

 private:
  explicit S3Storage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace casblob
