// URL pieces of S3 requests (internal): AWS's URI encoding, which SigV4 signs byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casblob::s3 {

// RFC 3986 percent-encoding as SigV4 canonicalises it: every byte but A-Z a-z 0-9 - _ . ~ is
// %XX (uppercase hex); '/' too unless `keep_slash` (object keys in a path).
std::string uri_encode(std::string_view text, bool keep_slash);

// "a=1&b=2" from (name, value) pairs, encoded and sorted by name as SigV4's canonical query
// string requires, so that the URL curl sends and the string it signs are the same.
std::string canonical_query(std::vector<std::pair<std::string, std::string>> params);

}  // namespace casblob::s3
