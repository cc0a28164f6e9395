// The XML documents S3 answers with (internal), parsed with expat: ListObjectsV2 pages and
// error documents; and S3's two timestamp formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casblob/error.hpp"

namespace casblob::s3 {

struct ListedObject {
  std::string key;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

struct ListPage {
  std::vector<ListedObject> objects;  // <Contents>
  std::vector<std::string> prefixes;  // <CommonPrefixes><Prefix>, each ending in the delimiter
  bool truncated = false;             // <IsTruncated>true</IsTruncated>: ask again with the token
  std::string next_token;             // <NextContinuationToken>
};

// io_error when the text is not a ListBucketResult (not XML, another document, a truncated
// page that claims more without a token).
Result<ListPage> parse_list_page(std::string_view xml);

struct ErrorDocument {
  std::string code;     // "NoSuchKey", "SlowDown", "AccessDenied", ...
  std::string message;
};
// nullopt unless the text is an S3 <Error> document.
std::optional<ErrorDocument> parse_error_document(std::string_view xml);

// "2026-12-01T08:35:59.123Z" (listings) and "Tue, 01 Dec 2026 08:35:59 GMT" (Last-Modified),
// as nanoseconds since the epoch; nullopt when malformed.
std::optional<std::int64_t> parse_iso8601_ns(std::string_view text);
std::optional<std::int64_t> parse_http_date_ns(std::string_view text);

}  // namespace casblob::s3
