// libcurl easy handles: signing, callbacks, the connection pool and the retry loop.
#include "store/s3/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <random>
#include <thread>

namespace casblob::s3 {
namespace {

// The largest buffered body (a ListObjectsV2 page of 1,000 keys is ~300 KB; error documents are
// small): anything longer is refused rather than held in memory.
constexpr std::size_t kMaxBufferedBody = std::size_t{16} << 20;

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto& x = *static_cast<Exchange*>(user);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) {
    if (x.response.status >= 200) x.headers_done = true;
    return size * n;
  }
  if (line.substr(0, 5) == "HTTP/") {
    // A new response (after a 100 Continue): its status decides, in on_write, whether the
    // body is an error document or object bytes.
    x.response.headers.clear();
    x.headers_done = false;
    auto space = line.find(' ');
    x.response.status = space == std::string_view::npos ? 0 : std::strtol(std::string(line.substr(space + 1, 3)).c_str(), nullptr, 10);
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  x.response.headers.emplace_back(std::move(name), std::string(value));
  return size * n;
}

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto& x = *static_cast<Exchange*>(user);
  if (x.response.status == 0 || x.on_body == nullptr || x.response.status >= 300) {
    if (x.response.body.size() + size * n > kMaxBufferedBody) {
      x.body_too_long = true;
      return 0;  // aborts the transfer (CURLE_WRITE_ERROR)
    }
    x.response.body.append(data, size * n);
    return size * n;
  }
  return x.on_body(data, size * n);
}

std::size_t on_read(char* data, std::size_t size, std::size_t n, void* user) {
  auto& x = *static_cast<Exchange*>(user);
  auto got = x.body->read_at(x.body_offset, std::span(reinterpret_cast<std::uint8_t*>(data), size * n));
  if (!got) {
    x.body_error = got.error();
    return CURL_READFUNC_ABORT;
  }
  x.body_offset += *got;
  return *got;
}

constexpr const char* kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace

const std::string* HttpResponse::header(std::string_view lowercase_name) const {
  for (const auto& [k, v] : headers)
    if (k == lowercase_name) return &v;
  return nullptr;
}

Status check_signable(const std::vector<std::string>& headers) {
  std::vector<std::string> names;
  for (const auto& h : headers) {
    std::string n = h.substr(0, h.find(':'));
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    names.push_back(std::move(n));
  }
  for (const auto& a : names)
    for (const auto& b : names)
      if (b.size() > a.size() && b.compare(0, a.size(), a) == 0 && b[a.size()] < ':')
        return Error(Errc::io_error, "libcurl cannot sign the headers " + a + " and " + b + " in one request (SigV4 header order)");
  return {};
}

Error transport_error(std::string_view what, CURLcode code, const char* errbuf) {
  std::string detail = errbuf && *errbuf ? errbuf : curl().easy_strerror(code);
  return Error(Errc::io_error, std::string(what) + ": " + detail);
}

// libcurl is loaded and initialised already: S3Storage::open called load_curl().
HttpClient::HttpClient(const S3Options& options) : options_(options) {
  sigv4_ = "aws:amz:" + options_.region + ":s3";
  if (options_.credentials)
    userpwd_ = options_.credentials->access_key_id + ":" + options_.credentials->secret_access_key;
}

namespace {
void close_connection(HttpClient::Connection c) {
  if (c.multi) curl().multi_cleanup(c.multi);
  if (c.easy) curl().easy_cleanup(c.easy);
}
}  // namespace

HttpClient::~HttpClient() {
  for (auto c : idle_) close_connection(c);
}

HttpClient::Handle::~Handle() {
  if (!c_.easy) return;
  curl().easy_reset(c_.easy);  // drops every option and callback; the multi keeps the connection
  std::lock_guard lock(owner_->mutex_);
  if (owner_->idle_.size() < std::max(1u, owner_->options_.jobs)) {
    owner_->idle_.push_back(c_);
  } else {
    close_connection(c_);
  }
}

HttpClient::Handle HttpClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      Connection c = idle_.back();
      idle_.pop_back();
      return Handle(this, c);
    }
  }
  Connection c{curl().easy_init(), curl().multi_init()};
  if (!c.easy || !c.multi) {
    close_connection(c);
    c = {};
  }
  return Handle(this, c);
}

CURLcode HttpClient::run(const Handle& h) {
  if (curl().multi_add_handle(h.multi(), h.get()) != CURLM_OK) return CURLE_FAILED_INIT;
  CURLcode result = CURLE_OK;
  for (bool done = false; !done;) {
    int running = 0;
    if (curl().multi_perform(h.multi(), &running) != CURLM_OK) {
      result = CURLE_FAILED_INIT;
      break;
    }
    int left = 0;
    while (CURLMsg* m = curl().multi_info_read(h.multi(), &left))
      if (m->msg == CURLMSG_DONE) {
        result = m->data.result;
        done = true;
      }
    if (!done && running) curl().multi_poll(h.multi(), nullptr, 0, 1000, nullptr);
  }
  curl().multi_remove_handle(h.multi(), h.get());
  return result;
}

void HttpClient::prepare(CURL* easy, const HttpRequest& req, Exchange& x) const {
  curl().slist_free_all(x.header_list);
  x.header_list = nullptr;
  x.response = HttpResponse{};
  x.body = req.body;
  x.body_offset = 0;
  x.body_error.reset();
  x.body_too_long = false;
  x.headers_done = false;
  curl().easy_setopt(easy, CURLOPT_URL, req.url.c_str());
  curl().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout.count()));
  // A transfer that moves less than one byte a second for stall_timeout is failed (and retried).
  curl().easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl().easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_timeout.count()));
  curl().easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl().easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl().easy_setopt(easy, CURLOPT_HEADERDATA, &x);
  curl().easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  curl().easy_setopt(easy, CURLOPT_WRITEDATA, &x);
  if (req.method == "HEAD") {
    curl().easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (req.method == "PUT") {
    curl().easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl().easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
    curl().easy_setopt(easy, CURLOPT_READDATA, &x);
    curl().easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body ? req.body->size : 0));
  } else if (req.method != "GET") {
    curl().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  for (const auto& h : req.headers) x.header_list = curl().slist_append(x.header_list, h.c_str());
  const std::string sha = req.body && !req.body->sha256_hex.empty() ? req.body->sha256_hex : kEmptySha256;
  x.header_list = curl().slist_append(x.header_list, ("x-amz-content-sha256: " + sha).c_str());
  if (options_.credentials && !options_.credentials->session_token.empty())
    x.header_list = curl().slist_append(x.header_list, ("x-amz-security-token: " + options_.credentials->session_token).c_str());
  // Every header in the list is signed, even "Name:" (which tells curl to drop a header it
  // would add): curl 7.88 then signs "name:" with an empty value that is never sent, and the
  // server's signature differs (measured against botocore in tests/s3/s3proxy.py). So nothing
  // is removed that way; curl's own "Expect: 100-continue" is added after signing.
  curl().easy_setopt(easy, CURLOPT_HTTPHEADER, x.header_list);
  if (options_.credentials) {
    curl().easy_setopt(easy, CURLOPT_AWS_SIGV4, sigv4_.c_str());
    curl().easy_setopt(easy, CURLOPT_USERPWD, userpwd_.c_str());
  }
}

bool HttpClient::retryable_status(const HttpResponse& r) {
  if (r.status == 429 || r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504) return true;
  // S3 may throttle or time out inside a 400/200 answer: the error code says so.
  return r.body.find("<Code>SlowDown</Code>") != std::string::npos ||
         r.body.find("<Code>RequestTimeout</Code>") != std::string::npos ||
         r.body.find("<Code>InternalError</Code>") != std::string::npos;
}

bool HttpClient::retryable_transport(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

void HttpClient::backoff(unsigned attempt) const {
  // Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in
  // [0, min(max, base * 2^attempt)], so that parallel workers throttled together spread out.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto ceiling = std::min<std::int64_t>(options_.backoff_max.count(),
                                              options_.backoff_base.count() << std::min(attempt, 20u));
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(ceiling, 0));
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(rng)));
}

Result<HttpResponse> HttpClient::perform(const HttpRequest& req) {
  CASBLOB_TRY(check_signable(req.headers));
  Handle h = acquire();
  if (!h.get()) return Error(Errc::io_error, "cannot create an HTTP handle (libcurl)");
  Exchange x;
  char errbuf[CURL_ERROR_SIZE];
  for (unsigned attempt = 0;; ++attempt) {
    if (attempt > 0) backoff(attempt);
    prepare(h.get(), req, x);
    errbuf[0] = 0;
    curl().easy_setopt(h.get(), CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = run(h);
    curl().easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &x.response.status);
    const bool last = attempt + 1 >= max_attempts();
    if (x.body_error) return *x.body_error;
    if (x.body_too_long) return Error(Errc::io_error, req.method + " " + req.url + ": response body too long");
    if (rc != CURLE_OK) {
      if (retryable_transport(rc) && !last) continue;
      Error e = transport_error(req.method + " " + req.url, rc, errbuf);
      if (attempt > 0) e.message += " (after " + std::to_string(attempt + 1) + " attempts)";
      return e;
    }
    if (retryable_status(x.response) && !last) continue;
    return std::move(x.response);
  }
}

}  // namespace casblob::s3
