// ListObjectsV2 and error documents through expat: a stack of element names and the text of
// the innermost one, handed over when it closes.
#include "store/s3/s3_xml.hpp"

#include <expat.h>

#include <charconv>
#include <functional>

namespace casblob::s3 {
namespace {

// Calls `on_element(path, text)` for every element as it closes; path[0] is the root.
class XmlWalker {
 public:
  using Callback = std::function<void(const std::vector<std::string>& path, const std::string& text)>;
  explicit XmlWalker(Callback cb) : cb_(std::move(cb)), parser_(XML_ParserCreate("UTF-8")) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlWalker::start, &XmlWalker::end);
    XML_SetCharacterDataHandler(parser_, &XmlWalker::chars);
  }
  ~XmlWalker() { XML_ParserFree(parser_); }
  XmlWalker(const XmlWalker&) = delete;
  XmlWalker& operator=(const XmlWalker&) = delete;

  // false with a message when the text is not well-formed XML.
  bool parse(std::string_view text, std::string& problem) {
    if (!parser_) return problem = "out of memory", false;
    if (XML_Parse(parser_, text.data(), static_cast<int>(text.size()), XML_TRUE) == XML_STATUS_ERROR) {
      problem = std::string(XML_ErrorString(XML_GetErrorCode(parser_))) + " at line " +
                std::to_string(XML_GetCurrentLineNumber(parser_));
      return false;
    }
    return true;
  }

 private:
  static void start(void* self, const XML_Char* name, const XML_Char**) {
    auto* w = static_cast<XmlWalker*>(self);
    w->path_.emplace_back(name);
    w->text_.clear();
  }
  static void end(void* self, const XML_Char*) {
    auto* w = static_cast<XmlWalker*>(self);
    w->cb_(w->path_, w->text_);
    w->path_.pop_back();
    w->text_.clear();
  }
  static void chars(void* self, const XML_Char* s, int len) { static_cast<XmlWalker*>(self)->text_.append(s, len); }

  Callback cb_;
  XML_Parser parser_;
  std::vector<std::string> path_;
  std::string text_;
};

bool is(const std::vector<std::string>& path, std::initializer_list<std::string_view> want) {
  if (path.size() != want.size()) return false;
  std::size_t i = 0;
  for (auto w : want)
    if (path[i++] != w) return false;
  return true;
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {  // H. Hinnant's algorithm
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, v);
  if (ec != std::errc() || p != s.data() + pos + n) return std::nullopt;
  return v;
}

std::int64_t to_ns(int y, int mo, int d, int h, int mi, int s) {
  const std::int64_t seconds = ((days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h) * 60 + mi) * 60 + s;
  return seconds * 1000000000;
}

}  // namespace

Result<ListPage> parse_list_page(std::string_view xml) {
  ListPage page;
  ListedObject current;
  bool is_listing = false;
  XmlWalker walker([&](const std::vector<std::string>& path, const std::string& text) {
    if (path.size() == 1) is_listing = path[0] == "ListBucketResult";
    if (is(path, {"ListBucketResult", "Contents", "Key"})) current.key = text;
    if (is(path, {"ListBucketResult", "Contents", "Size"})) std::from_chars(text.data(), text.data() + text.size(), current.size);
    if (is(path, {"ListBucketResult", "Contents", "LastModified"})) current.mtime_ns = parse_iso8601_ns(text).value_or(0);
    if (is(path, {"ListBucketResult", "Contents"})) page.objects.push_back(std::exchange(current, {}));
    if (is(path, {"ListBucketResult", "CommonPrefixes", "Prefix"})) page.prefixes.push_back(text);
    if (is(path, {"ListBucketResult", "IsTruncated"})) page.truncated = text == "true";
    if (is(path, {"ListBucketResult", "NextContinuationToken"})) page.next_token = text;
  });
  std::string problem;
  if (!walker.parse(xml, problem)) return Error(Errc::io_error, "ListObjectsV2 answer is not XML: " + problem);
  if (!is_listing) return Error(Errc::io_error, "ListObjectsV2 answer is not a ListBucketResult");
  if (page.truncated && page.next_token.empty())
    return Error(Errc::io_error, "ListObjectsV2 page is truncated but has no NextContinuationToken");
  return page;
}

std::optional<ErrorDocument> parse_error_document(std::string_view xml) {
  ErrorDocument doc;
  bool is_error = false;
  XmlWalker walker([&](const std::vector<std::string>& path, const std::string& text) {
    if (path.size() == 1) is_error = path[0] == "Error";
    if (is(path, {"Error", "Code"})) doc.code = text;
    if (is(path, {"Error", "Message"})) doc.message = text;
  });
  std::string problem;
  if (xml.empty() || !walker.parse(xml, problem) || !is_error) return std::nullopt;
  return doc;
}

std::optional<std::int64_t> parse_iso8601_ns(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fff...]Z
  auto y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2), h = digits(t, 11, 2), mi = digits(t, 14, 2),
       s = digits(t, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s || t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T') return std::nullopt;
  std::int64_t ns = to_ns(*y, *mo, *d, *h, *mi, *s);
  std::size_t i = 19;
  if (i < t.size() && t[i] == '.') {
    std::int64_t scale = 100000000;
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, scale /= 10) ns += (t[i] - '0') * scale;
  }
  if (i >= t.size() || t[i] != 'Z') return std::nullopt;
  return ns;
}

std::optional<std::int64_t> parse_http_date_ns(std::string_view t) {
  // IMF-fixdate (RFC 9110 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT"
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (t.size() != 29 || t.substr(25) != " GMT") return std::nullopt;
  auto d = digits(t, 5, 2), y = digits(t, 12, 4), h = digits(t, 17, 2), mi = digits(t, 20, 2), s = digits(t, 23, 2);
  auto m = kMonths.find(t.substr(8, 3));
  if (!d || !y || !h || !mi || !s || m == std::string_view::npos || m % 3 != 0) return std::nullopt;
  return to_ns(*y, static_cast<int>(m / 3 + 1), *d, *h, *mi, *s);
}

}  // namespace casblob::s3
