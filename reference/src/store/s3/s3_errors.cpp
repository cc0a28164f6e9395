#include "store/s3/s3_errors.hpp"

#include "store/s3/s3_xml.hpp"

namespace casblob::s3 {

Error s3_error(const HttpResponse& r, std::string_view what) {
  auto doc = parse_error_document(r.body);
  std::string msg = std::string(what) + ": HTTP " + std::to_string(r.status);
  if (doc && !doc->code.empty()) msg += " " + doc->code;
  if (doc && !doc->message.empty()) msg += ": " + doc->message;
  if (r.status == 404) {
    if (doc && doc->code == "NoSuchBucket") msg += " (the bucket does not exist)";
    return Error(Errc::not_found, msg);
  }
  if (r.status == 403 || r.status == 401)
    msg += " (check the credentials, the region and --endpoint-url / AWS_ENDPOINT_URL_S3)";
  return Error(Errc::io_error, msg);
}

}  // namespace casblob::s3
