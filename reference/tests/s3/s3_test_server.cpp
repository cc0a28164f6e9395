#include "s3_test_server.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <openssl/evp.h>
#include <stdexcept>

namespace casblob::test {
namespace {

std::size_t append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::string sha256_hex(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += {hex[md[i] >> 4], hex[md[i] & 15]};
  return out;
}

long http(const std::string& method, const std::string& url, const std::string& body, std::vector<std::string> headers,
          const S3TestServer* sign, std::string* response) {
  CURL* c = curl_easy_init();
  std::string sink;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  // PUT bodies go as an upload, as the library sends them (POSTFIELDS would make curl add a
  // Content-Type after signing, which the proxy refuses as unsigned).
  struct Reader {
    const std::string* body;
    std::size_t pos = 0;
  } reader{&body};
  if (method == "PUT") {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_READDATA, &reader);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, +[](char* out, std::size_t size, std::size_t n, void* user) -> std::size_t {
      auto* r = static_cast<Reader*>(user);
      std::size_t k = std::min(size * n, r->body->size() - r->pos);
      std::memcpy(out, r->body->data() + r->pos, k);
      r->pos += k;
      return k;
    });
  } else if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, response ? response : &sink);
  std::string sigv4, userpwd;
  if (sign) {
    sigv4 = "aws:amz:" + sign->region + ":s3";
    userpwd = sign->access_key + ":" + sign->secret_key;
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.c_str());
    curl_easy_setopt(c, CURLOPT_USERPWD, userpwd.c_str());
    headers.push_back("x-amz-content-sha256: " + sha256_hex(body));
  }
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(rc));
  return status;
}

}  // namespace

const S3TestServer& S3TestServer::get() {
  static S3TestServer server = [] {
    const char* path = std::getenv("CASBLOB_S3_STATE");
    if (!path) throw std::runtime_error("CASBLOB_S3_STATE is not set: run through ctest (fixture s3)");
    std::ifstream f(path);
    if (!f) throw std::runtime_error(std::string("cannot read ") + path + ": is the s3 fixture running?");
    auto j = nlohmann::json::parse(f);
    return S3TestServer{j["endpoint"], j["server_endpoint"], j["access_key"], j["secret_key"], j["region"]};
  }();
  return server;
}

S3Options S3TestServer::options() const {
  S3Options o;
  o.endpoint_url = endpoint;
  o.region = region;
  o.credentials = S3Credentials{access_key, secret_key, "", "test"};
  o.backoff_base = std::chrono::milliseconds(5);
  o.backoff_max = std::chrono::milliseconds(50);
  o.max_attempts = 4;
  return o;
}

std::string S3TestServer::new_bucket(const std::string& label) const {
  static std::atomic<int> counter{0};
  std::string name = "t-" + label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  std::string answer;
  long status = request("PUT", "/" + name, "", {}, &answer);
  if (status != 200) throw std::runtime_error("cannot create bucket " + name + ": HTTP " + std::to_string(status) + " " + answer);
  return name;
}

long S3TestServer::request(const std::string& method, const std::string& path, const std::string& body,
                           const std::vector<std::string>& headers, std::string* response) const {
  return http(method, endpoint + path, body, headers, this, response);
}

void S3TestServer::inject(const nlohmann::json& rules) const {
  if (http("POST", endpoint + "/__proxy/faults", rules.dump(), {}, nullptr, nullptr) != 200)
    throw std::runtime_error("the fault proxy refused the rules");
}

nlohmann::json S3TestServer::stats(const std::string& bucket) const {
  std::string body;
  http("GET", endpoint + "/__proxy/stats?bucket=" + bucket, "", {}, nullptr, &body);
  return nlohmann::json::parse(body);
}

}  // namespace casblob::test
