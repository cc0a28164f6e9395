// libcurl's functions, from libcurl.so.4 loaded the first time an S3 store is opened (internal).
//
// Linked, libcurl and the 30 libraries it pulls in (nghttp2, ssh2, ldap, krb5, gnutls ...)
// cost every casblob process ~5.7 ms of start-up, S3 or not: `casblob --version` took 7.1 ms,
// an empty C program linked with -lcurl 6.6 ms against 0.9 ms without (issue 19; `perf stat`).
// So the S3 backend loads it on first use, as the only code that needs it, and a machine
// without libcurl runs everything else (an S3 URL then fails as in a build without S3: Errc::usage).
// CASBLOB_LIBCURL names another file to load.
#pragma once

#include <curl/curl.h>

#include "casblob/error.hpp"

namespace casblob::s3 {

// Every libcurl function the backend calls (one list: the table below and the loader).
#define CASBLOB_CURL_FUNCTIONS(X)                                                                              \
  X(global_init) X(version_info) X(easy_strerror) X(easy_init) X(easy_cleanup) X(easy_reset) X(easy_setopt)   \
  X(easy_getinfo) X(easy_pause) X(multi_init) X(multi_cleanup) X(multi_add_handle) X(multi_remove_handle)     \
  X(multi_perform) X(multi_poll) X(multi_info_read) X(multi_strerror) X(slist_append) X(slist_free_all)

struct CurlApi {
  // decltype of the real declaration: the table cannot drift from curl.h's signatures.
#define CASBLOB_CURL_MEMBER(name) decltype(&::curl_##name) name = nullptr;
  CASBLOB_CURL_FUNCTIONS(CASBLOB_CURL_MEMBER)
#undef CASBLOB_CURL_MEMBER
};

// Loads libcurl once for the process (thread-safe), checks it is 7.75 or newer (SigV4 signing,
// CURLOPT_AWS_SIGV4) and calls curl_global_init. The same error on every call when it fails.
Status load_curl();

// The loaded functions. Only after load_curl() succeeded.
const CurlApi& curl();

}  // namespace casblob::s3
