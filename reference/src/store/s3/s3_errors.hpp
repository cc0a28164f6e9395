// S3 answers as casblob errors (internal): 404 is not_found, everything else io_error naming
// the S3 error code, so a message says "AccessDenied" or "SlowDown", not just a number.
#pragma once

#include <string_view>

#include "casblob/error.hpp"
#include "store/s3/http_client.hpp"

namespace casblob::s3 {

Error s3_error(const HttpResponse& r, std::string_view what);

}  // namespace casblob::s3
