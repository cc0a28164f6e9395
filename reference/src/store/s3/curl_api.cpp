#include "store/s3/curl_api.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <string>

namespace casblob::s3 {
namespace {

constexpr const char* kDefaultLibrary = "libcurl.so.4";  // the SONAME this build was compiled against
constexpr unsigned kSigV4Version = 0x074b00;               // 7.75.0, CURLOPT_AWS_SIGV4

CurlApi g_api;
Status g_loaded = Error(Errc::usage, "libcurl: not loaded");
std::once_flag g_once;

Status load() {
  const char* name = std::getenv("CASBLOB_LIBCURL");
  if (!name || !*name) name = kDefaultLibrary;
  // Never dlclose()d: libcurl keeps global state (TLS, resolver threads) for the process.
  void* lib = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = ::dlerror();
    return Error(Errc::usage, std::string("S3 needs libcurl, which did not load: ") + (why ? why : name));
  }
  CurlApi api;
#define CASBLOB_CURL_LOAD(fn)                                                                   \
  api.fn = reinterpret_cast<decltype(api.fn)>(::dlsym(lib, "curl_" #fn));                      \
  if (!api.fn) return Error(Errc::usage, std::string("S3 needs libcurl: ") + name + " has no curl_" #fn);
  CASBLOB_CURL_FUNCTIONS(CASBLOB_CURL_LOAD)
#undef CASBLOB_CURL_LOAD
  const curl_version_info_data* v = api.version_info(CURLVERSION_NOW);
  if (!v || v->version_num < kSigV4Version)
    return Error(Errc::usage, std::string("S3 needs libcurl 7.75 or newer (SigV4 signing); ") + name + " is " +
                                        (v && v->version ? v->version : "of unknown version"));
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return Error(Errc::io_error, std::string("libcurl: curl_global_init failed (") + name + ")");
  g_api = api;
  return {};
}

}  // namespace

Status load_curl() {
  std::call_once(g_once, [] { g_loaded = load(); });
  return g_loaded;
}

const CurlApi& curl() { return g_api; }

}  // namespace casblob::s3
