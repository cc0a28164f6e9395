// A streaming GET driven through curl's multi interface (the pooled connection's own multi
// handle): read() runs the transfer until bytes are there; the write callback pauses it when
// the buffer is full.
#include "store/s3/get_source.hpp"

#include <algorithm>
#include <cstring>

#include "store/s3/s3_errors.hpp"

namespace casblob::s3 {
namespace {

class GetSource final : public Source {
 public:
  GetSource(HttpClient& client, std::string url, std::string shown)
      : client_(client), handle_(client.acquire()), multi_(handle_.multi()), url_(std::move(url)), shown_(std::move(shown)) {}
  ~GetSource() override {
    // Removing a transfer cut short closes its connection; a finished one stays for reuse.
    if (in_multi_) curl().multi_remove_handle(multi_, handle_.get());
  }

  // Runs attempts until one has a final status; the error to report otherwise.
  Status start() {
    if (!multi_ || !handle_.get()) return Error(Errc::io_error, "cannot create an HTTP handle (libcurl)");
    for (;;) {
      begin_attempt();
      while (!x_.headers_done && !finished_) CASBLOB_TRY(pump());
      const long status = x_.response.status;
      if (finished_ && result_ != CURLE_OK) {
        if (HttpClient::retryable_transport(result_) && can_retry()) continue;
        return transport_error("GET " + shown_, result_, errbuf_);
      }
      if (status == 200 || status == 206) {
        if (etag_.empty())
          if (const auto* e = x_.response.header("etag")) etag_ = *e;
        if (!size_known_) {
          if (const auto* len = x_.response.header("content-length"); len && status == 200) {
            size_ = std::strtoull(len->c_str(), nullptr, 10);
            size_known_ = true;
          }
        }
        return {};
      }
      while (!finished_) CASBLOB_TRY(pump());  // the error document
      if (status == 412 && received_ > 0)
        return Error(Errc::io_error, "GET " + shown_ + ": the object changed while it was read");
      if (HttpClient::retryable_status(x_.response) && can_retry()) continue;
      return s3_error(x_.response, "GET " + shown_);
    }
  }

  Result<std::size_t> read(std::span<std::uint8_t> buf) override {
    for (;;) {
      if (pos_ < buf_.size()) {
        std::size_t n = std::min(buf.size(), buf_.size() - pos_);
        std::memcpy(buf.data(), buf_.data() + pos_, n);
        pos_ += n;
        if (pos_ == buf_.size()) {
          buf_.clear();
          pos_ = 0;
        }
        return n;
      }
      if (finished_) {
        if (result_ == CURLE_OK) return std::size_t{0};
        // The connection broke mid-body: resume where it stopped (curl reports a short body as
        // CURLE_PARTIAL_FILE, so a cut is never taken for the end).
        if (!(HttpClient::retryable_transport(result_) && can_retry()))
          return transport_error("GET " + shown_ + " after " + std::to_string(received_) + " bytes", result_, errbuf_);
        CASBLOB_TRY(start());
        continue;
      }
      CASBLOB_TRY(pump());
    }
  }

  const HttpResponse& response() const { return x_.response; }

  std::optional<std::uint64_t> size_hint() const override {
    return size_known_ ? std::optional<std::uint64_t>(size_) : std::nullopt;
  }

 private:
  bool can_retry() {
    if (attempt_ >= client_.max_attempts()) return false;
    client_.backoff(attempt_);
    return true;
  }

  void begin_attempt() {
    if (in_multi_) {
      curl().multi_remove_handle(multi_, handle_.get());
      in_multi_ = false;
    }
    ++attempt_;
    HttpRequest req{"GET", url_, {}, nullptr};
    if (received_ > 0) {
      req.headers.push_back("Range: bytes=" + std::to_string(received_) + "-");
      if (!etag_.empty()) req.headers.push_back("If-Match: " + etag_);
    }
    client_.prepare(handle_.get(), req, x_);
    x_.on_body = [this](const char* data, std::size_t n) { return on_body(data, n); };
    errbuf_[0] = 0;
    curl().easy_setopt(handle_.get(), CURLOPT_ERRORBUFFER, errbuf_);
    finished_ = paused_ = body_started_ = false;
    result_ = CURLE_OK;
    curl().multi_add_handle(multi_, handle_.get());
    in_multi_ = true;
  }

  std::size_t on_body(const char* data, std::size_t n) {
    if (!body_started_) {
      body_started_ = true;
      // A resumed GET answered 200: the server ignored Range and sends it all again.
      skip_ = x_.response.status == 200 ? received_ : 0;
    }
    if (buf_.size() - pos_ >= kGetBuffer) {
      paused_ = true;
      return CURL_WRITEFUNC_PAUSE;  // curl hands the same bytes again after the unpause
    }
    if (pos_ > 0 && pos_ >= buf_.size() / 2) {  // a reader taking small bites: drop what it took
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(pos_));
      pos_ = 0;
    }
    std::size_t drop = std::min<std::uint64_t>(skip_, n);
    skip_ -= drop;
    buf_.insert(buf_.end(), data + drop, data + n);
    received_ += n - drop;
    return n;
  }

  // One step of the transfer: unpause if the reader made room, let curl work, wait a little.
  Status pump() {
    if (paused_ && buf_.size() - pos_ < kGetBuffer) {
      paused_ = false;
      curl().easy_pause(handle_.get(), CURLPAUSE_CONT);  // may call on_body right away
    }
    int running = 0;
    CURLMcode mc = curl().multi_perform(multi_, &running);
    if (mc != CURLM_OK) return Error(Errc::io_error, "GET " + shown_ + ": " + curl().multi_strerror(mc));
    int left = 0;
    while (CURLMsg* m = curl().multi_info_read(multi_, &left)) {
      if (m->msg == CURLMSG_DONE) {
        finished_ = true;
        result_ = m->data.result;
      }
    }
    if (!finished_ && running && !(paused_ && buf_.size() - pos_ < kGetBuffer) && buf_.size() == pos_)
      curl().multi_poll(multi_, nullptr, 0, 100, nullptr);
    return {};
  }

  HttpClient& client_;
  HttpClient::Handle handle_;
  CURLM* multi_;
  std::string url_, shown_;
  Exchange x_;
  char errbuf_[CURL_ERROR_SIZE] = {};
  bool in_multi_ = false, finished_ = false, paused_ = false, size_known_ = false, body_started_ = false;
  CURLcode result_ = CURLE_OK;
  unsigned attempt_ = 0;
  std::vector<std::uint8_t> buf_;
  std::size_t pos_ = 0;
  std::uint64_t received_ = 0, skip_ = 0, size_ = 0;
  std::string etag_;
};

}  // namespace

Result<std::unique_ptr<Source>> open_get_source(HttpClient& client, std::string url, std::string shown_as,
                                                HttpResponse* headers) {
  auto src = std::make_unique<GetSource>(client, std::move(url), std::move(shown_as));
  CASBLOB_TRY(src->start());
  if (headers) headers->headers = src->response().headers;
  return std::unique_ptr<Source>(std::move(src));
}

}  // namespace casblob::s3
