// AWS URI encoding and the s3:// URL (spec 4.2.2).
#include "store/s3/uri.hpp"

#include <algorithm>

#include "casblob/s3_storage.hpp"

namespace casblob {
namespace s3 {

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string canonical_query(std::vector<std::pair<std::string, std::string>> params) {
  for (auto& [name, value] : params) {
    name = uri_encode(name, false);
    value = uri_encode(value, false);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

}  // namespace s3

namespace {

// S3's bucket naming rules (3-63 of a-z 0-9 . -, starting and ending with a letter or digit),
// relaxed to also allow '_' and uppercase as some S3-compatible servers and legacy us-east-1
// buckets do. Anything that could change the URL's shape ('/', '?', '#', '@', ':', spaces) is out.
bool plausible_bucket(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(b.front()) || !alnum(b.back())) return false;
  return std::all_of(b.begin(), b.end(), [&](char c) { return alnum(c) || c == '.' || c == '-' || c == '_'; });
}

}  // namespace

Result<S3Url> parse_s3_url(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (url.substr(0, kScheme.size()) != kScheme) return Error(Errc::usage, "not an s3:// URL: " + std::string(url));
  std::string_view rest = url.substr(kScheme.size());
  auto slash = rest.find('/');
  S3Url out;
  out.bucket = std::string(rest.substr(0, slash));
  if (!plausible_bucket(out.bucket))
    return Error(Errc::usage, "not a bucket name: \"" + out.bucket + "\" in " + std::string(url));
  std::string_view prefix = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  // The prefix is a datastore root, made of the same relative segments as every other path.
  if (!prefix.empty()) {
    if (Status s = check_relative_path(prefix); !s.ok())
      return Error(Errc::usage, "not a datastore prefix: " + std::string(url) + ": " + s.error().message);
  }
  out.prefix = std::string(prefix);
  return out;
}

}  // namespace casblob
