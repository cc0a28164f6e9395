// S3Storage: the Storage operations as S3 requests (spec 4.2.2).
//
//   list          ListObjectsV2 with delimiter "/", every page (continuation tokens)
//   stat          HEAD; a key that is only a prefix of others is a directory
//   open          a streaming GET (get_source.cpp); open_blob takes the sidecar from its headers
//   read_sidecar  HEAD, header x-amz-meta-metaflow-user-attributes, verbatim (R-META-5, R-META-12)
//   commit        one PUT carrying payload and sidecar (R-META-11): S3 makes both visible at once, so the
//                 R-KEY-4 order and R-KEY-7 pairing hold by construction. if_absent is HEAD
//                 then PUT with If-None-Match: * (honoured by AWS and MinIO; a server that
//                 ignores it degrades to Metaflow's own HEAD-then-PUT)
//   write_sidecar CopyObject onto itself with x-amz-metadata-directive: REPLACE (R-META-11), guarded by
//                 If-Match: <the ETag just checked> on the destination (which is the source),
//                 so a payload replaced meanwhile never gets this sidecar where the server
//                 honours it. Not x-amz-copy-source-if-match: libcurl 7.88 cannot sign it next to
//                 x-amz-copy-source (http_client.hpp, check_signable)
// Nothing here sends DELETE.
#include "casblob/s3_storage.hpp"

#include <algorithm>

#include "store/s3/get_source.hpp"
#include "store/s3/http_client.hpp"
#include "store/s3/s3_errors.hpp"
#include "store/s3/s3_xml.hpp"
#include "store/s3/spool.hpp"
#include "store/s3/uri.hpp"

namespace casblob {

bool s3_available() noexcept { return true; }

namespace {

constexpr std::string_view kSidecarHeader = "x-amz-meta-metaflow-user-attributes";
// The largest object one PUT or CopyObject may create (S3's documented limit).
constexpr std::uint64_t kMaxSinglePut = std::uint64_t{5} << 30;
// What S3 stores for an object PUT without Content-Type, as boto3's upload_fileobj (and so
// Metaflow's S3Storage.save_bytes) leaves it: casblob sets it explicitly, to the same value.
constexpr std::string_view kContentType = "binary/octet-stream";

Error read_only_error(std::string_view what) {
  return Error(Errc::usage, std::string(what) + ": this datastore was opened read-only");
}

// A sidecar travels as an HTTP header value: printable ASCII only (Python's json.dumps, which
// every Metaflow writer uses, emits nothing else). Anything else is refused, never mangled.
Status check_header_safe(const std::string& sidecar) {
  for (unsigned char c : sidecar)
    if (c < 0x20 || c > 0x7e)
      return Error(Errc::usage, "a sidecar stored as S3 metadata must be printable ASCII (it is an HTTP header)");
  if (sidecar.size() > kMaxSidecarBytes) return Error(Errc::usage, "sidecar longer than " + std::to_string(kMaxSidecarBytes) + " bytes");
  return {};
}

bool dns_compatible(std::string_view bucket) {
  return std::all_of(bucket.begin(), bucket.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

struct S3Storage::Impl {
  S3Url where;
  StorageOptions storage_options;
  s3::HttpClient http;
  std::string bucket_url;  // "<endpoint>/<bucket>" (path-style) or "https://<bucket>.s3.<region>.amazonaws.com"

  Impl(S3Url w, const S3Options& o, StorageOptions so) : where(std::move(w)), storage_options(so), http(o) {
    std::string endpoint = o.endpoint_url;
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    if (endpoint.empty()) {
      bucket_url = dns_compatible(where.bucket) ? "https://" + where.bucket + ".s3." + o.region + ".amazonaws.com"
                                                : "https://s3." + o.region + ".amazonaws.com/" + where.bucket;
    } else {
      bucket_url = endpoint + "/" + s3::uri_encode(where.bucket, false);
    }
  }

  std::string key_of(std::string_view path) const {
    return where.prefix.empty() ? std::string(path) : where.prefix + "/" + std::string(path);
  }
  std::string object_url(std::string_view path) const { return bucket_url + "/" + s3::uri_encode(key_of(path), true); }
  std::string shown(std::string_view path) const { return "s3://" + where.bucket + "/" + key_of(path); }

  Result<s3::HttpResponse> head(std::string_view path) { return http.perform({"HEAD", object_url(path), {}, nullptr}); }

  // One ListObjectsV2 page under `prefix` (a key prefix ending in '/' or empty).
  Result<s3::ListPage> list_page(const std::string& prefix, const std::string& token, int max_keys = 1000) {
    std::vector<std::pair<std::string, std::string>> q{{"list-type", "2"}, {"delimiter", "/"}, {"prefix", prefix}};
    if (max_keys != 1000) q.emplace_back("max-keys", std::to_string(max_keys));
    if (!token.empty()) q.emplace_back("continuation-token", token);
    auto r = http.perform({"GET", bucket_url + "?" + s3::canonical_query(std::move(q)), {}, nullptr});
    if (!r) return r.error();
    const std::string shown_as = "list s3://" + where.bucket + "/" + prefix;
    if (r->status != 200) return s3::s3_error(*r, shown_as);
    auto page = s3::parse_list_page(r->body);
    if (!page) return Error(Errc::io_error, shown_as + ": " + page.error().message);
    return page;
  }

  // The sidecar from a HEAD answer: absent header = absent sidecar (R-META-5).
  static Result<SidecarText> sidecar_of(const s3::HttpResponse& r, const std::string& shown_as) {
    const std::string* v = r.header(kSidecarHeader);
    if (!v) return SidecarText();
    if (v->size() > kMaxSidecarBytes)
      return Error(Errc::meta_invalid, shown_as + ": metadata " + std::string(kSidecarHeader) + " is longer than " +
                                           std::to_string(kMaxSidecarBytes) + " bytes");
    return SidecarText(*v);
  }

  // Object metadata a REPLACE copy must carry over besides the sidecar: the other user entries.
  static std::vector<std::string> other_user_metadata(const s3::HttpResponse& r) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers)
      if (k.rfind("x-amz-meta-", 0) == 0 && k != kSidecarHeader) out.push_back(k + ": " + v);
    return out;
  }

  Result<PutResult> put(std::string_view blob_path, s3::Spool& spool, const std::optional<std::string>& sidecar, PutMode mode);
};

namespace {

class S3PendingBlob final : public PendingBlob {
 public:
  S3PendingBlob(S3Storage::Impl& impl, s3::Spool spool) : impl_(impl), spool_(std::move(spool)) {}
  Status write(ByteView data) override { return spool_.write(data); }
  Result<PutResult> commit(std::string_view blob_path, const std::optional<std::string>& sidecar, PutMode mode) override {
    return impl_.put(blob_path, spool_, sidecar, mode);
  }

 private:
  S3Storage::Impl& impl_;
  s3::Spool spool_;
};

}  // namespace

Result<PutResult> S3Storage::Impl::put(std::string_view blob_path, s3::Spool& spool, const std::optional<std::string>& sidecar,
                                       PutMode mode) {
  CASBLOB_TRY(check_relative_path(blob_path));
  if (sidecar) CASBLOB_TRY(check_header_safe(*sidecar));
  const std::string shown_as = shown(blob_path);
  if (spool.size() > kMaxSinglePut)
    return Error(Errc::io_error, "PUT " + shown_as + ": " + std::to_string(spool.size()) +
                                     " bytes is beyond S3's 5 GiB single-PUT limit (multipart upload is not implemented)");
  std::optional<std::string> meta = sidecar;
  if (mode == PutMode::if_absent || !sidecar) {
    auto h = head(blob_path);
    if (!h) return h.error();
    if (h->status == 200 && mode == PutMode::if_absent) return PutResult{false};  // Metaflow skips existing keys too
    if (h->status == 200) {
      auto kept = sidecar_of(*h, shown_as);  // replace without a sidecar: keep the one there
      if (!kept) return kept.error();
      meta = *kept;
    } else if (h->status != 404) {
      return s3::s3_error(*h, "HEAD " + shown_as);
    }
  }
  s3::HttpBody body{spool.size(), [&spool](std::uint64_t off, std::span<std::uint8_t> b) { return spool.read_at(off, b); },
                    spool.sha256_hex()};
  s3::HttpRequest req{"PUT", object_url(blob_path), {"Content-Type: " + std::string(kContentType)}, &body};
  if (meta) req.headers.push_back(std::string(kSidecarHeader) + ": " + *meta);
  if (mode == PutMode::if_absent) req.headers.push_back("If-None-Match: *");
  auto r = http.perform(req);
  if (!r) return r.error();
  if (r->status == 412 && mode == PutMode::if_absent) return PutResult{false};  // another writer won
  if (r->status == 501 && mode == PutMode::if_absent) {
    req.headers.pop_back();  // a server without conditional PUT: the HEAD above decided
    r = http.perform(req);
    if (!r) return r.error();
  }
  if (r->status != 200) return s3::s3_error(*r, "PUT " + shown_as);
  return PutResult{true};
}

Result<std::unique_ptr<S3Storage>> S3Storage::open(std::string_view url, S3Options options, StorageOptions opts) {
  auto where = parse_s3_url(url);
  if (!where) return where.error();
  if (!options.credentials)
    return Error(Errc::usage, "no AWS credentials for " + std::string(url) +
                                  ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile in "
                                  "~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE)");
  if (!options.endpoint_url.empty() && options.endpoint_url.rfind("http://", 0) != 0 &&
      options.endpoint_url.rfind("https://", 0) != 0)
    return Error(Errc::usage, "endpoint URL must start with http:// or https://: " + options.endpoint_url);
  if (opts.jobs) options.jobs = opts.jobs;
  if (!opts.endpoint_url.empty()) options.endpoint_url = opts.endpoint_url;
  CASBLOB_TRY(s3::load_curl());  // the first S3 store of the process loads libcurl (curl_api.hpp)
  return std::unique_ptr<S3Storage>(new S3Storage(std::make_unique<Impl>(std::move(*where), options, opts)));
}

S3Storage::S3Storage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
S3Storage::~S3Storage() = default;

std::string S3Storage::url() const {
  return "s3://" + impl_->where.bucket + (impl_->where.prefix.empty() ? "" : "/" + impl_->where.prefix);
}

Status S3Storage::list(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) {
  if (!dir.empty()) CASBLOB_TRY(check_relative_path(dir));
  const std::string prefix = dir.empty() ? (impl_->where.prefix.empty() ? "" : impl_->where.prefix + "/")
                                         : impl_->key_of(dir) + "/";
  const std::size_t strip = impl_->where.prefix.empty() ? 0 : impl_->where.prefix.size() + 1;
  std::string token;
  std::uint64_t entries = 0;
  do {
    auto page = impl_->list_page(prefix, token);
    if (!page) return page.error();
    for (const auto& o : page->objects) {
      if (o.key.size() <= prefix.size()) continue;  // a "folder" marker object named like the prefix
      ObjectInfo info;
      info.path = o.key.substr(strip);
      info.type = ObjectInfo::Type::file;
      info.size = o.size;
      info.mtime_ns = o.mtime_ns;
      ++entries;
      CASBLOB_TRY(each(info));
    }
    for (const auto& p : page->prefixes) {
      if (p.size() <= prefix.size() + 1) continue;  // "prefix//": an empty segment, not a path
      ObjectInfo info;
      info.path = p.substr(strip, p.size() - 1 - strip);
      info.type = ObjectInfo::Type::directory;
      ++entries;
      CASBLOB_TRY(each(info));
    }
    token = page->truncated ? page->next_token : "";
  } while (!token.empty());
  // A prefix nothing lives under is S3's "no such directory"; the root may be empty.
  if (entries == 0 && !dir.empty()) return Error(Errc::not_found, "nothing under " + impl_->shown(dir) + "/");
  return {};
}

Result<ObjectInfo> S3Storage::stat(std::string_view path) {
  CASBLOB_TRY(check_relative_path(path));
  auto h = impl_->head(path);
  if (!h) return h.error();
  ObjectInfo info;
  info.path = std::string(path);
  if (h->status == 200) {
    if (const auto* len = h->header("content-length")) info.size = std::strtoull(len->c_str(), nullptr, 10);
    if (const auto* lm = h->header("last-modified")) info.mtime_ns = s3::parse_http_date_ns(*lm).value_or(0);
    return info;
  }
  if (h->status != 404) return s3::s3_error(*h, "HEAD " + impl_->shown(path));
  auto page = impl_->list_page(impl_->key_of(path) + "/", "", 1);
  if (!page) return page.error();
  if (page->objects.empty() && page->prefixes.empty()) return Error(Errc::not_found, impl_->shown(path) + ": no such object");
  info.type = ObjectInfo::Type::directory;
  return info;
}

Result<std::unique_ptr<Source>> S3Storage::open(std::string_view path) {
  CASBLOB_TRY(check_relative_path(path));
  return s3::open_get_source(impl_->http, impl_->object_url(path), impl_->shown(path));
}

Result<Storage::OpenedBlob> S3Storage::open_blob(std::string_view blob_path) {
  CASBLOB_TRY(check_relative_path(blob_path));
  s3::HttpResponse headers;
  auto src = s3::open_get_source(impl_->http, impl_->object_url(blob_path), impl_->shown(blob_path), &headers);
  if (!src) return src.error();
  auto sidecar = Impl::sidecar_of(headers, impl_->shown(blob_path));  // the GET's own metadata
  if (!sidecar) return sidecar.error();
  std::optional<std::int64_t> mtime;
  if (const auto* lm = headers.header("last-modified")) mtime = s3::parse_http_date_ns(*lm);
  return OpenedBlob{std::move(*src), std::move(*sidecar), mtime};
}

Result<SidecarText> S3Storage::read_sidecar(std::string_view blob_path) {
  CASBLOB_TRY(check_relative_path(blob_path));
  auto h = impl_->head(blob_path);
  if (!h) return h.error();
  if (h->status == 404) return SidecarText();  // no object, so no metadata: as a missing _meta file
  if (h->status != 200) return s3::s3_error(*h, "HEAD " + impl_->shown(blob_path));
  return Impl::sidecar_of(*h, impl_->shown(blob_path));
}

Result<std::unique_ptr<PendingBlob>> S3Storage::begin_blob(std::string_view dir) {
  if (impl_->storage_options.read_only) return read_only_error("cannot write a blob");
  CASBLOB_TRY(check_relative_path(dir));
  auto spool = s3::Spool::create();
  if (!spool) return spool.error();
  return std::unique_ptr<PendingBlob>(std::make_unique<S3PendingBlob>(*impl_, std::move(*spool)));
}

Status S3Storage::write_sidecar(std::string_view blob_path, const std::string& sidecar) {
  if (impl_->storage_options.read_only) return read_only_error("cannot write a sidecar");
  CASBLOB_TRY(check_relative_path(blob_path));
  CASBLOB_TRY(check_header_safe(sidecar));
  const std::string shown_as = impl_->shown(blob_path);
  auto h = impl_->head(blob_path);
  if (!h) return h.error();
  if (h->status != 200) return s3::s3_error(*h, "HEAD " + shown_as);
  if (const auto* len = h->header("content-length"); len && std::strtoull(len->c_str(), nullptr, 10) > kMaxSinglePut)
    return Error(Errc::io_error, "copy " + shown_as + ": beyond S3's 5 GiB CopyObject limit (multipart copy is not implemented)");
  // REPLACE drops every metadata entry and the content type: carry them over with the new sidecar.
  s3::HttpRequest req{"PUT", impl_->object_url(blob_path), Impl::other_user_metadata(*h), nullptr};
  req.headers.push_back("x-amz-copy-source: /" + s3::uri_encode(impl_->where.bucket, false) + "/" +
                        s3::uri_encode(impl_->key_of(blob_path), true));
  req.headers.push_back("x-amz-metadata-directive: REPLACE");
  if (const auto* etag = h->header("etag")) req.headers.push_back("If-Match: " + *etag);
  const auto* type = h->header("content-type");
  req.headers.push_back("Content-Type: " + (type ? *type : std::string(kContentType)));
  req.headers.push_back(std::string(kSidecarHeader) + ": " + sidecar);
  auto r = impl_->http.perform(req);
  if (!r) return r.error();
  if (r->status == 412) return Error(Errc::io_error, "copy " + shown_as + ": the object changed since it was checked; nothing was written");
  // CopyObject can fail after its 200 header: the body is then an <Error> document.
  if (r->status != 200 || s3::parse_error_document(r->body)) return s3::s3_error(*r, "copy " + shown_as);
  return {};
}

}  // namespace casblob
