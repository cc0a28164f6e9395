// An S3 object as a Source (internal): one streaming GET, read at the caller's pace with
// bounded memory (spec 10.1: blobs can be GBs).
#pragma once

#include <memory>
#include <string>

#include "casblob/io.hpp"
#include "store/s3/http_client.hpp"

namespace casblob::s3 {

// Starts the GET and returns once its status is known: not_found for a missing object,
// io_error for any other failure after the retries. The body then arrives as read() asks:
// libcurl's transfer is paused while more than kGetBuffer bytes wait, and a connection lost
// mid-body is resumed with `Range: bytes=N-` and `If-Match: <ETag>` (a different object under
// the same key is io_error, never spliced bytes).
// `headers`, when given, receives the response's headers (the object's metadata among them).
Result<std::unique_ptr<Source>> open_get_source(HttpClient& client, std::string url, std::string shown_as,
                                                HttpResponse* headers = nullptr);

inline constexpr std::size_t kGetBuffer = std::size_t{1} << 20;

}  // namespace casblob::s3
