// The S3 backend without a server: the environment as the AWS tools read it, s3:// URLs,
// SigV4's URI encoding, and the XML and dates S3 answers with (spec 4.2.2).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "casblob/s3_storage.hpp"
#include "store/s3/http_client.hpp"
#include "store/s3/s3_xml.hpp"
#include "store/s3/uri.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace casblob;

namespace {

// An environment of the test's own, with HOME in an empty temporary directory (no ~/.aws).
struct FakeEnv {
  std::map<std::string, std::string> vars;
  fs::path home;
  FakeEnv() {
    std::string t = (fs::temp_directory_path() / "casblob-s3env-XXXXXX").string();
    home = mkdtemp(t.data());
    vars["HOME"] = home.string();
  }
  ~FakeEnv() { fs::remove_all(home); }
  EnvLookup lookup() const {
    return [this](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
  void write_aws(const std::string& name, const std::string& text) const {
    fs::create_directories(home / ".aws");
    std::ofstream(home / ".aws" / name) << text;
  }
};

}  // namespace

TEST_CASE("endpoint: --endpoint-url - then METAFLOW_S3_ENDPOINT_URL - AWS_ENDPOINT_URL_S3 - AWS_ENDPOINT_URL - the profile", "[s3][config]") {
  FakeEnv env;
  env.write_aws("config", "[default]\nendpoint_url = http://from-config:1\nregion = eu-west-3\n");
  auto endpoint = [&](const std::string& flag = {}) { return s3_options_from_environment(env.lookup(), flag)->endpoint_url; };
  CHECK(endpoint() == "http://from-config:1");
  env.vars["AWS_ENDPOINT_URL"] = "http://generic:2";
  CHECK(endpoint() == "http://generic:2");
  env.vars["AWS_ENDPOINT_URL_S3"] = "http://s3-specific:3";
  CHECK(endpoint() == "http://s3-specific:3");
  env.vars["METAFLOW_S3_ENDPOINT_URL"] = "http://metaflow:4";
  CHECK(endpoint() == "http://metaflow:4");
  CHECK(endpoint("http://flag:5") == "http://flag:5");
}

TEST_CASE("region: AWS_REGION - AWS_DEFAULT_REGION - the profile's region - us-east-1", "[s3][config]") {
  FakeEnv env;
  CHECK(s3_options_from_environment(env.lookup())->region == "us-east-1");
  env.write_aws("config", "[profile dev]\nregion = ap-south-1\n[default]\nregion = eu-west-3\n");
  CHECK(s3_options_from_environment(env.lookup())->region == "eu-west-3");
  env.vars["AWS_PROFILE"] = "dev";
  CHECK(s3_options_from_environment(env.lookup())->region == "ap-south-1");
  env.vars["AWS_DEFAULT_REGION"] = "us-west-2";
  CHECK(s3_options_from_environment(env.lookup())->region == "us-west-2");
  env.vars["AWS_REGION"] = "sa-east-1";
  CHECK(s3_options_from_environment(env.lookup())->region == "sa-east-1");
}

TEST_CASE("credentials: environment keys beat the profile - the profile's come from credentials - then config", "[s3][config]") {
  FakeEnv env;
  CHECK_FALSE(s3_options_from_environment(env.lookup())->credentials.has_value());
  env.write_aws("credentials",
                "# comment\n[default]\naws_access_key_id = AKDEF\naws_secret_access_key = SDEF\n\n"
                "[dev]\naws_access_key_id=AKDEV\naws_secret_access_key=SDEV\naws_session_token = TDEV\n"
                "s3 =\n  addressing_style = path\n");
  env.write_aws("config", "[profile cfgonly]\naws_access_key_id = AKCFG\naws_secret_access_key = SCFG\n");
  auto creds = [&] { return *s3_options_from_environment(env.lookup())->credentials; };
  CHECK(creds().access_key_id == "AKDEF");
  CHECK(creds().session_token.empty());
  env.vars["AWS_PROFILE"] = "dev";
  CHECK(creds().access_key_id == "AKDEV");
  CHECK(creds().secret_access_key == "SDEV");
  CHECK(creds().session_token == "TDEV");
  CHECK(creds().source == "profile dev in ~/.aws/credentials");
  env.vars["AWS_PROFILE"] = "cfgonly";
  CHECK(creds().access_key_id == "AKCFG");
  env.vars["AWS_ACCESS_KEY_ID"] = "AKENV";
  env.vars["AWS_SECRET_ACCESS_KEY"] = "SENV";
  env.vars["AWS_SESSION_TOKEN"] = "TENV";
  CHECK(creds().access_key_id == "AKENV");
  CHECK(creds().session_token == "TENV");
  CHECK(creds().source == "environment");
}

TEST_CASE("a named profile that exists nowhere - or a named file that cannot be read - is usage", "[s3][config]") {
  FakeEnv env;
  env.vars["AWS_PROFILE"] = "nosuch";
  auto r = s3_options_from_environment(env.lookup());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::usage);
  CHECK(r.error().message.find("nosuch") != std::string::npos);
  env.vars.erase("AWS_PROFILE");
  env.vars["AWS_SHARED_CREDENTIALS_FILE"] = (env.home / "absent").string();
  CHECK(s3_options_from_environment(env.lookup()).error().code == Errc::usage);
  env.vars.erase("AWS_SHARED_CREDENTIALS_FILE");
  env.write_aws("credentials", "aws_access_key_id = outside-a-section\n");
  CHECK(s3_options_from_environment(env.lookup()).error().code == Errc::usage);
}

TEST_CASE("without credentials - opening an s3:// root is a usage error that says where to put them", "[s3][config]") {
  auto r = S3Storage::open("s3://bucket/prefix", S3Options{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::usage);
  if (s3_available()) CHECK(r.error().message.find("AWS_ACCESS_KEY_ID") != std::string::npos);
}

TEST_CASE("s3:// URLs: bucket and prefix - anything that could reshape a URL or path is usage", "[s3][config]") {
  auto u = parse_s3_url("s3://my-bucket/some/prefix/");
  REQUIRE(u.ok());
  CHECK(u->bucket == "my-bucket");
  CHECK(u->prefix == "some/prefix");
  CHECK(parse_s3_url("s3://my-bucket")->prefix.empty());
  for (const char* bad : {"s3://", "s3://ab", "s3:///x", "s3://b@d/x", "s3://bucket/a/../b", "s3://bucket/a//b",
                          "s3://bucket?x/", "s3://-bucket/x", "gs://bucket/x"})
    CHECK(parse_s3_url(bad).error().code == Errc::usage);
}

TEST_CASE("SigV4 URI encoding: unreserved bytes stay - everything else is %XX - the query is sorted", "[s3][config]") {
  CHECK(s3::uri_encode("a-Z_0.~/b c+%", true) == "a-Z_0.~/b%20c%2B%25");
  CHECK(s3::uri_encode("a/b", false) == "a%2Fb");
  CHECK(s3::uri_encode("\xc3\xa9", false) == "%C3%A9");
  CHECK(s3::canonical_query({{"prefix", "F/data/"}, {"list-type", "2"}, {"continuation-token", "a+b="}}) ==
        "continuation-token=a%2Bb%3D&list-type=2&prefix=F%2Fdata%2F");
}

TEST_CASE("ListObjectsV2 pages: objects - common prefixes - truncation and its token", "[s3][config]") {
  auto page = s3::parse_list_page(
      R"(<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
      R"(<Name>b</Name><Prefix>p/</Prefix><IsTruncated>true</IsTruncated><NextContinuationToken>tok&amp;1</NextContinuationToken>)"
      R"(<Contents><Key>p/a</Key><LastModified>2024-02-29T12:34:56.789Z</LastModified><Size>42</Size></Contents>)"
      R"(<Contents><Key>p/&lt;b&gt;</Key><LastModified>1970-01-01T00:00:00.000Z</LastModified><Size>0</Size></Contents>)"
      R"(<CommonPrefixes><Prefix>p/sub/</Prefix></CommonPrefixes></ListBucketResult>)");
  REQUIRE(page.ok());
  REQUIRE(page->objects.size() == 2);
  CHECK(page->objects[0].key == "p/a");
  CHECK(page->objects[0].size == 42);
  CHECK(page->objects[0].mtime_ns == 1709210096789000000);
  CHECK(page->objects[1].key == "p/<b>");
  CHECK(page->prefixes == std::vector<std::string>{"p/sub/"});
  CHECK(page->truncated);
  CHECK(page->next_token == "tok&1");
  CHECK(s3::parse_list_page("<Error><Code>AccessDenied</Code></Error>").error().code == Errc::io_error);
  CHECK(s3::parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>").error().code == Errc::io_error);
  CHECK(s3::parse_list_page("<ListBucketResult>").error().code == Errc::io_error);
}

TEST_CASE("error documents and dates", "[s3][config]") {
  auto e = s3::parse_error_document("<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>");
  REQUIRE(e);
  CHECK(e->code == "SlowDown");
  CHECK(e->message == "Reduce your request rate.");
  CHECK_FALSE(s3::parse_error_document(""));
  CHECK_FALSE(s3::parse_error_document("<CopyObjectResult/>"));
  CHECK(s3::parse_http_date_ns("Thu, 29 Feb 2024 12:34:56 GMT") == 1709210096000000000);
  CHECK_FALSE(s3::parse_http_date_ns("Thu, 29 Foo 2024 12:34:56 GMT"));
  CHECK_FALSE(s3::parse_iso8601_ns("2024-02-29 12:34:56Z"));
}

TEST_CASE("headers libcurl 7.88 cannot sign together are refused before a request is sent", "[s3][config]") {
  CHECK(s3::check_signable({"x-amz-copy-source: /b/k", "x-amz-metadata-directive: REPLACE", "If-Match: \"e\""}).ok());
  CHECK(s3::check_signable({"x-amz-copy-source: /b/k", "x-amz-copy-source-if-match: \"e\""}).code() == Errc::io_error);
  CHECK(s3::check_signable({"x-amz-meta-a: 1", "X-Amz-Meta-A-B: 2"}).code() == Errc::io_error);
  CHECK(s3::check_signable({"x-amz-meta-a: 1", "x-amz-meta-ab: 2"}).ok());  // 'b' sorts after ':' either way
}

// libcurl is loaded on the first S3 store, not linked (store/s3/curl_api.hpp): a process that
// never opens one never maps it, and one that cannot load it fails the S3 root cleanly.
TEST_CASE("the CLI maps libcurl only when it opens an s3:// root - without it that root is a usage error", "[s3][config]") {
  if (!s3_available()) return;
  const std::string cli = CASBLOB_CLI;
  // LD_DEBUG=files: the dynamic loader names every object it maps, on stderr.
  auto plain = test::run_command({"sh", "-c", "LD_DEBUG=files \"$0\" --version 2>&1 >/dev/null | grep -c 'file=libcurl'", cli});
  CHECK(std::string(plain.stdout_bytes.begin(), plain.stdout_bytes.end()) == "0\n");

  const std::string s3_get =
      "AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b \"$0\" get --root s3://bucket/prefix --flow F "
      "0123456789abcdef0123456789abcdef01234567 /dev/null";
  // At an S3 root it is loaded (the endpoint refuses the connection: the load comes first).
  auto mapped = test::run_command({"sh", "-c", "LD_DEBUG=files " + s3_get +
                                                   " --endpoint-url http://127.0.0.1:1 2>&1 | grep -c 'file=libcurl'", cli});
  CHECK(std::string(mapped.stdout_bytes.begin(), mapped.stdout_bytes.end()) != "0\n");

  auto missing = test::run_command(
      {"sh", "-c", "CASBLOB_LIBCURL=/nonexistent/libcurl.so.4 " + s3_get + " 2>&1; echo \"exit $?\"", cli});
  const std::string out(missing.stdout_bytes.begin(), missing.stdout_bytes.end());
  CHECK(out.find("S3 needs libcurl, which did not load: /nonexistent/libcurl.so.4: cannot open") != std::string::npos);
  CHECK(out.find("exit 2\n") != std::string::npos);  // usage, as in a build without S3
}
