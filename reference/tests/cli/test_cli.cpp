// The casblob CLI: documented exit codes, --json output, atomic output files, strict stdout.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "casblob/casblob.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace casblob;
using nlohmann::json;

namespace {

struct Cli : test::TempDir {
  test::CommandResult run(std::vector<std::string> args, ByteView in = {}) {
    args.insert(args.begin(), CASBLOB_CLI);
    return test::run_command(args, in);
  }
};

std::string text(const Bytes& b) { return {b.begin(), b.end()}; }

}  // namespace

TEST_CASE("encode writes OUT and OUT_meta and prints the key, decode reads it back", "[cli]") {
  Cli cli;
  Bytes data = test::seeded_bytes("float64", 300000, 3);
  std::string key = sha1_hex(data).value();
  cli.write("in", data);
  for (std::string v : {"1", "2"}) {
    auto enc = cli.run({"encode", "--version", v, cli.path("in"), cli.path(key)});
    REQUIRE(enc.exit == 0);
    CHECK(text(enc.stdout_bytes) == key + "\n");
    CHECK(text(cli.read(key + "_meta")) == "{\"cas_raw\": false, \"cas_version\": " + v + "}");
    // Sidecar from IN_meta, key from IN's name: strict checks both.
    auto dec = cli.run({"decode", "--json", cli.path(key), cli.path("out")});
    REQUIRE(dec.exit == 0);
    auto j = json::parse(text(dec.stdout_bytes));
    CHECK(j["ok"] == true);
    CHECK(j["key_checked"] == true);
    CHECK(j["sha1"] == key);
    CHECK(j["encoding"] == (v == "1" ? "gzip-v1" : "lz4-v2"));
    CHECK(cli.read("out") == data);
  }
}

TEST_CASE("decode exit codes are the documented ones, and failures leave no output file", "[cli]") {
  Cli cli;
  Bytes data = test::seeded_bytes("text", 5000, 1);
  std::string key = sha1_hex(data).value();
  cli.write("in", data);
  REQUIRE(cli.run({"encode", "--version", "1", cli.path("in"), cli.path("blob")}).exit == 0);
  REQUIRE(cli.run({"encode", "--version", "2", cli.path("in"), cli.path("blob2")}).exit == 0);
  cli.write("bad_meta", as_bytes("{\"cas_raw\": \"false\", \"cas_version\": 1}"));
  cli.write("v99", as_bytes("{\"cas_raw\": false, \"cas_version\": 99}"));
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string error;
  };
  const Case cases[] = {
      {{"--meta", cli.path("bad_meta"), "--key", key}, 10, "meta_invalid"},
      {{"--meta", cli.path("v99"), "--key", key}, 12, "version_unsupported"},
      {{"--profile", "legacy", "--meta", cli.path("blob2_meta")}, 12, "version_unsupported"},
      {{"--profile", "v2-nolz4", "--meta", cli.path("blob2_meta")}, 13, "codec_unavailable"},
      {{"--meta", cli.path("blob2_meta")}, 15, "format_mismatch"},
      {{"--key", std::string(40, 'f')}, 16, "key_mismatch"},
      {{"--max-size", "100"}, 17, "limit_exceeded"},
      {{"--key", "NOT-A-KEY"}, 2, "usage"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args{"decode", "--json"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.push_back(cli.path("blob"));
    args.push_back(cli.path("out"));
    auto r = cli.run(args);
    INFO(c.error);
    CHECK(r.exit == c.exit);
    if (c.error != "usage") {
      auto j = json::parse(text(r.stdout_bytes));
      CHECK(j["ok"] == false);
      CHECK(j["error"] == c.error);
    }
    CHECK_FALSE(fs::exists(cli.path("out")));
  }
  // No stray temporary files either.
  for (const auto& f : cli.files()) CHECK(f.find(kTempMarker) == std::string::npos);
  CHECK(cli.run({"decode", cli.path("missing"), cli.path("out")}).exit == 18);
}

TEST_CASE("strict never writes unverified bytes to stdout, legacy returns what Python returns", "[cli][hazard]") {
  Cli cli;
  Bytes data = test::seeded_bytes("text", 70000, 2);
  cli.write("in", data);
  REQUIRE(cli.run({"encode", "--version", "1", cli.path("in"), cli.path("blob")}).exit == 0);
  auto strict = cli.run({"decode", "--key", std::string(40, '0'), cli.path("blob"), "-"});
  CHECK(strict.exit == 16);
  CHECK(strict.stdout_bytes.empty());
  auto ok = cli.run({"decode", cli.path("blob"), "-"});
  CHECK(ok.exit == 0);
  CHECK(ok.stdout_bytes == data);
  // "cas_raw": "false" is truthy in Python: the compressed bytes come back, exit 0.
  cli.write("truthy", as_bytes("{\"cas_raw\": \"false\", \"cas_version\": 1}"));
  auto legacy = cli.run({"decode", "--profile", "legacy", "--meta", cli.path("truthy"), cli.path("blob"), "-"});
  CHECK(legacy.exit == 0);
  CHECK(legacy.stdout_bytes == cli.read("blob"));
}

TEST_CASE("batch answers one JSON line per request", "[cli]") {
  Cli cli;
  Bytes data = test::seeded_bytes("text", 1000, 4);
  std::string key = sha1_hex(data).value();
  cli.write("in", data);
  REQUIRE(cli.run({"encode", "--version", "2", cli.path("in"), cli.path("blob")}).exit == 0);
  std::string req = json{{"blob", cli.path("blob")}, {"meta", cli.path("blob_meta")}, {"profile", "strict"}, {"key", key}}.dump() +
                    "\n" + json{{"blob", cli.path("blob")}, {"meta", cli.path("blob_meta")}, {"profile", "legacy"}}.dump() +
                    "\nnot json\n";
  auto r = cli.run({"batch"}, as_bytes(req));
  REQUIRE(r.exit == 0);
  std::istringstream lines(text(r.stdout_bytes));
  std::string l1, l2, l3;
  std::getline(lines, l1), std::getline(lines, l2), std::getline(lines, l3);
  CHECK(json::parse(l1)["sha1"] == key);
  CHECK(json::parse(l2)["error"] == "version_unsupported");
  CHECK(json::parse(l3)["error"] == "usage");
}

TEST_CASE("inspect describes gzip members, lz4 frames and trailing bytes", "[cli]") {
  Cli cli;
  Bytes data = test::seeded_bytes("text", 150000, 5);
  cli.write("in", data);
  REQUIRE(cli.run({"encode", "--version", "1", "--mtime", "77", "--name", "x.pkl", cli.path("in"), cli.path("g")}).exit == 0);
  REQUIRE(cli.run({"encode", "--version", "2", "--content-checksum", cli.path("in"), cli.path("l")}).exit == 0);
  Bytes g = cli.read("g");
  Bytes two = g;
  two.insert(two.end(), g.begin(), g.end());
  two.insert(two.end(), {0, 0, 'x'});
  cli.write("gg", two);
  auto jg = json::parse(text(cli.run({"inspect", "--json", cli.path("g")}).stdout_bytes));
  CHECK(jg["container"] == "gzip");
  CHECK(jg["gzip"]["members"][0]["mtime"] == 77);
  CHECK(jg["gzip"]["members"][0]["file_name"] == "x.pkl");
  CHECK(jg["sidecar"]["strict"]["version"] == 1);
  auto jgg = json::parse(text(cli.run({"inspect", "--json", "--no-meta", cli.path("gg")}).stdout_bytes));
  CHECK(jgg["gzip"]["members"].size() == 2);
  CHECK(jgg["gzip"]["trailing_bytes"] == 1);
  auto jl = json::parse(text(cli.run({"inspect", "--json", cli.path("l")}).stdout_bytes));
  CHECK(jl["container"] == "lz4-frame");
  CHECK(jl["lz4"]["frames"][0]["content_checksum"] == true);
  CHECK(jl["lz4"]["frames"][0]["content_size"] == 150000);
  CHECK(jl["lz4"]["frames"][0]["block_count"] == 3);
  CHECK(jl["decode"]["ok"] == true);
}

TEST_CASE("put and get use Metaflow's local datastore layout", "[cli]") {
  Cli cli;
  Bytes data = test::seeded_bytes("random", 20000, 6);
  std::string key = sha1_hex(data).value();
  cli.write("in", data);
  auto put = cli.run({"put", "--root", cli.path("root"), "--flow", "F", "--version", "2", "--json", cli.path("in")});
  REQUIRE(put.exit == 0);
  CHECK(json::parse(text(put.stdout_bytes))["objects"][0]["key"] == key);
  CHECK(fs::exists(cli.path("root") + "/F/data/" + key.substr(0, 2) + "/" + key + "_meta"));
  REQUIRE(cli.run({"get", "--root", cli.path("root"), "--flow", "F", key, cli.path("out")}).exit == 0);
  CHECK(cli.read("out") == data);
  CHECK(cli.run({"get", "--root", cli.path("root"), "--flow", "F", std::string(40, '1'), cli.path("x")}).exit == 18);
}
