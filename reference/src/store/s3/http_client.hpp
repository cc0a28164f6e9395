// Signed HTTP requests to an S3 endpoint over libcurl (internal).
//
// Signing is libcurl's own CURLOPT_AWS_SIGV4 (7.75+; Debian 12 has 7.88), never hand-written:
// casblob only supplies x-amz-content-sha256, which S3 requires and curl 7.88 signs as given.
// Connections are kept in a pool of easy handles (one keep-alive connection each), so that
// parallel callers reuse them. Retries: full-jitter exponential backoff on transport errors,
// 5xx and throttling (503 SlowDown, 429), as the AWS SDKs' "standard" mode does.
#pragma once

#include "store/s3/curl_api.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "casblob/error.hpp"
#include "casblob/s3_storage.hpp"

namespace casblob::s3 {

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, in arrival order
  std::string body;                                          // buffered bodies only
  const std::string* header(std::string_view lowercase_name) const;
};

// A request body that can be read again from any offset (each attempt starts at 0).
struct HttpBody {
  std::uint64_t size = 0;
  std::function<Result<std::size_t>(std::uint64_t offset, std::span<std::uint8_t> buf)> read_at;
  std::string sha256_hex;  // of the whole body: signed as x-amz-content-sha256
};

struct HttpRequest {
  std::string method;                // GET, HEAD, PUT
  std::string url;                   // scheme://host[:port]/path?query, already URI-encoded
  std::vector<std::string> headers;  // "name: value"
  const HttpBody* body = nullptr;    // PUT only
};

// One attempt in flight on an easy handle: the callbacks' state. `on_body` (optional) takes
// the body of a 2xx response instead of buffering it; it returns what curl's write callback
// returns (the count, or CURL_WRITEFUNC_PAUSE).
struct Exchange {
  HttpResponse response;
  std::function<std::size_t(const char*, std::size_t)> on_body;
  const HttpBody* body = nullptr;
  std::uint64_t body_offset = 0;
  std::optional<Error> body_error;
  bool body_too_long = false;
  bool headers_done = false;  // the final response's header block has ended
  curl_slist* header_list = nullptr;
  Exchange() = default;
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  ~Exchange() {
    if (header_list) curl().slist_free_all(header_list);  // none before libcurl is loaded
  }
};

class HttpClient {
 public:
  explicit HttpClient(const S3Options& options);
  ~HttpClient();

  // A pooled easy handle with the multi handle it always runs in: libcurl keeps connections in
  // the multi handle's cache, so keeping the pair together is what reuses a keep-alive
  // connection from one request to the next. Returned to the pool on destruction.
  struct Connection {
    CURL* easy = nullptr;
    CURLM* multi = nullptr;
  };
  class Handle {
   public:
    Handle(HttpClient* owner, Connection c) : owner_(owner), c_(c) {}
    Handle(Handle&& o) noexcept : owner_(o.owner_), c_(std::exchange(o.c_, {})) {}
    Handle& operator=(Handle&&) = delete;
    ~Handle();
    CURL* get() const { return c_.easy; }
    CURLM* multi() const { return c_.multi; }

   private:
    HttpClient* owner_;
    Connection c_;
  };
  Handle acquire();

  // Runs the prepared transfer on `h` to its end (curl_easy_perform, inside h's multi handle).
  static CURLcode run(const Handle& h);

  // Sets up `easy` for one attempt of `req`: URL, method, signing, timeouts, callbacks into `x`.
  void prepare(CURL* easy, const HttpRequest& req, Exchange& x) const;

  // Performs `req` with retries. The response of the last attempt, whatever its status (the
  // caller maps it), or io_error when no attempt got an HTTP response.
  Result<HttpResponse> perform(const HttpRequest& req);

  // Whether an attempt that ended this way is worth repeating.
  static bool retryable_status(const HttpResponse& r);
  static bool retryable_transport(CURLcode c);
  // Sleeps before attempt number `attempt` (1 = the first retry).
  void backoff(unsigned attempt) const;
  unsigned max_attempts() const { return options_.max_attempts ? options_.max_attempts : 1; }
  const S3Options& options() const { return options_; }

 private:
  S3Options options_;
  std::string sigv4_, userpwd_;
  std::mutex mutex_;
  std::vector<Connection> idle_;
};

// libcurl 7.88 (Debian 12) sorts the canonical headers of SigV4 as whole "name:value" lines,
// AWS by name: when one header name is a prefix of another followed by '-' (x-amz-copy-source
// and x-amz-copy-source-if-match, x-amz-meta-a and x-amz-meta-a-b) the signature is wrong
// (measured against botocore, tests/s3/s3proxy.py). Such a request is refused before sending.
Status check_signable(const std::vector<std::string>& headers);

// "what: <transport error>" for a curl failure.
Error transport_error(std::string_view what, CURLcode code, const char* errbuf = nullptr);

}  // namespace casblob::s3
