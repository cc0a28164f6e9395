// The CLI's input and output rules (cli/io_targets.hpp) and its argument checks: every defect
// of the foundation and reliability issues that lives in the CLI, each as the test that would
// have caught it.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "casblob/casblob.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace casblob;
using nlohmann::json;

namespace {

struct Dir : test::TempDir {
  std::vector<std::string> all() const { return files(); }
  bool has_temporaries() const {
    for (const auto& f : files())
      if (f.find(kTempMarker) != std::string::npos) return true;
    return false;
  }
};

test::CommandResult cli(std::vector<std::string> args, ByteView in = {}, const std::string& out = "") {
  args.insert(args.begin(), CASBLOB_CLI);
  return test::run_command(args, in, out);
}

// With one variable set for the child only (the test's own temporary files stay where they are).
test::CommandResult cli_with_env(const std::string& assignment, std::vector<std::string> args) {
  args.insert(args.begin(), {"env", assignment, CASBLOB_CLI});
  return test::run_command(args);
}

std::string text(const Bytes& b) { return {b.begin(), b.end()}; }

std::vector<json> lines(const Bytes& out) {
  std::vector<json> v;
  std::istringstream s(text(out));
  for (std::string l; std::getline(s, l);) v.push_back(json::parse(l));
  return v;
}

// gzip -n of other bytes under an existing key: the payload decodes, to the wrong content.
Bytes gzip_of(const std::string& content) {
  EncodeOptions eo;
  return encode_blob(as_bytes(content), eo)->bytes;
}

}  // namespace

TEST_CASE("get KEY - under strict writes nothing to stdout on key_mismatch (F2, R-READ-6)", "[cli][security]") {
  Dir d;
  d.write("in", as_bytes("the real content\n"));
  auto put = cli({"put", "--root", d.path("root"), "--flow", "F", "--json", d.path("in")});
  REQUIRE(put.exit == 0);
  const std::string key = json::parse(text(put.stdout_bytes))["objects"][0]["key"];
  const fs::path blob = d.dir / "root" / "F" / "data" / key.substr(0, 2) / key;
  Bytes other = gzip_of("other bytes entirely\n");
  fs::remove(blob);
  d.write("root/F/data/" + key.substr(0, 2) + "/" + key, other);
  auto strict = cli({"get", "--root", d.path("root"), "--flow", "F", key, "-"});
  CHECK(strict.exit == 16);
  CHECK(strict.stdout_bytes.empty());
  // A modelled reader hands out what it decodes, as the real one does.
  auto legacy = cli({"get", "--root", d.path("root"), "--flow", "F", "--profile", "legacy", key, "-"});
  CHECK(legacy.exit == 0);
  CHECK(text(legacy.stdout_bytes) == "other bytes entirely\n");
  // And to a file: nothing at OUT, no temporary either.
  CHECK(cli({"get", "--root", d.path("root"), "--flow", "F", key, d.path("out")}).exit == 16);
  CHECK_FALSE(fs::exists(d.path("out")));
  CHECK_FALSE(d.has_temporaries());
}

TEST_CASE("strict to stdout spools small blobs in memory and large ones in TMPDIR (F23)", "[cli][slow]") {
  Dir d;
  Bytes small = test::seeded_bytes("text", 100000, 1);
  d.write("small", small);
  REQUIRE(cli({"encode", "--version", "2", d.path("small"), d.path("s")}).exit == 0);
  const std::string tmpdir = "TMPDIR=" + d.path("no-such-dir");
  auto ok = cli_with_env(tmpdir, {"decode", d.path("s"), "-"});
  CHECK(ok.exit == 0);  // never touched the (missing) spool directory
  CHECK(ok.stdout_bytes == small);
  Bytes big = test::seeded_bytes("random", (std::size_t{64} << 20) + 100, 2);
  d.write("big", big);
  REQUIRE(cli({"encode", "--version", "2", d.path("big"), d.path("b")}).exit == 0);
  auto no_spool = cli_with_env(tmpdir, {"decode", d.path("b"), "-"});
  CHECK(no_spool.exit == 19);  // the spool goes where TMPDIR says, and says when it cannot
  CHECK(no_spool.stdout_bytes.empty());
  fs::create_directory(d.path("no-such-dir"));
  auto spooled = cli_with_env(tmpdir, {"decode", d.path("b"), "-"});
  CHECK(spooled.exit == 0);
  CHECK(spooled.stdout_bytes == big);
  CHECK(fs::is_empty(d.path("no-such-dir")));  // anonymous: nothing left there
}

TEST_CASE("output that cannot be written is io_error, never exit 0 (F4)", "[cli][security]") {
  Dir d;
  Bytes data = test::seeded_bytes("text", 300000, 3);
  d.write("in", data);
  REQUIRE(cli({"encode", d.path("in"), d.path("blob")}).exit == 0);
  CHECK(cli({"decode", d.path("blob"), "-"}, {}, "/dev/full").exit == 19);
  CHECK(cli({"decode", "--profile", "legacy", d.path("blob"), "-"}, {}, "/dev/full").exit == 19);
  CHECK(cli({"decode", "--json", d.path("blob")}, {}, "/dev/full").exit == 19);
  CHECK(cli({"encode", d.path("in"), d.path("blob2")}, {}, "/dev/full").exit == 19);
  CHECK(cli({"inspect", d.path("blob")}, {}, "/dev/full").exit == 19);
  std::string reqs;
  for (int i = 0; i < 2000; ++i) reqs += json{{"blob", d.path("blob")}, {"meta", d.path("blob_meta")}}.dump() + "\n";
  CHECK(cli({"batch"}, as_bytes(reqs), "/dev/full").exit == 19);
}

TEST_CASE("batch: every request gets exactly one reply, whatever it holds (F8, F15)", "[cli][security]") {
  Dir d;
  Bytes data = test::seeded_bytes("text", 1000, 4);
  const std::string key = sha1_hex(data).value();
  d.write("in", data);
  REQUIRE(cli({"encode", d.path("in"), d.path("blob")}).exit == 0);
  const json good = {{"blob", d.path("blob")}, {"meta", d.path("blob_meta")}, {"key", key}};
  std::vector<std::pair<std::string, std::string>> cases = {
      {json{{"blob", d.path("blob")}, {"profile", 5}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"meta", d.path("blob_meta")}, {"profile", nullptr}}.dump(), "ok"},
      {json{{"blob", "-"}}.dump(), "usage"},
      {json{{"blob", ""}}.dump(), "usage"},
      {json{{"blob", 7}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"key", 5}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"max_size", -1}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"max_size", 1.5}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"max_size", "100"}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"meta", 7}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"meta", d.path("absent")}}.dump(), "usage"},
      {json{{"blob", d.path("blob")}, {"profile", "nope"}}.dump(), "usage"},
      {"[1, 2]", "usage"},
      {"\"blob\"", "usage"},
      {"{\"blob\": ", "usage"},
      {good.dump(), "ok"},
      {json{{"blob", d.path("blob")}, {"meta", d.path("blob_meta")}, {"max_size", 10}}.dump(), "limit_exceeded"},
  };
  std::string input;
  for (const auto& [line, _] : cases) input += line + "\n";
  auto r = cli({"batch"}, as_bytes(input));
  REQUIRE(r.exit == 0);
  auto replies = lines(r.stdout_bytes);
  REQUIRE(replies.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].first);
    CHECK((replies[i]["ok"] == true ? std::string("ok") : replies[i]["error"].get<std::string>()) == cases[i].second);
  }
}

TEST_CASE("byte counts are counts: -1 and 2^64 are usage, not 'no limit' (F15)", "[cli]") {
  Dir d;
  d.write("in", as_bytes("x"));
  REQUIRE(cli({"encode", d.path("in"), d.path("blob")}).exit == 0);
  for (const char* bad : {"-1", "18446744073709551616", "1e3", "0x10", "", " 5"}) {
    INFO(bad);
    CHECK(cli({"decode", "--max-size", bad, d.path("blob")}).exit == 2);
    CHECK(cli({"inspect", "--max-size", bad, d.path("blob")}).exit == 2);
  }
  CHECK(cli({"decode", "--max-size", "18446744073709551615", d.path("blob")}).exit == 0);
  CHECK(cli({"decode", "--max-size", "0", d.path("blob")}).exit == 17);
}

TEST_CASE("get checks the key before any path, and creates nothing when the blob is absent (F17, F18)", "[cli]") {
  Dir d;
  CHECK(cli({"get", "--root", d.path("root"), "--flow", "F", "BADKEY", d.path("nonexistent/dir/out")}).exit == 2);
  fs::create_directory(d.path("root"));
  CHECK(cli({"get", "--root", d.path("root"), "--flow", "F", std::string(40, 'a'), d.path("out")}).exit == 18);
  CHECK(d.all().empty());
  // A missing output directory is io_error; a missing --meta file is usage: neither is "blob absent".
  d.write("in", as_bytes("x"));
  REQUIRE(cli({"encode", d.path("in"), d.path("blob")}).exit == 0);
  CHECK(cli({"decode", d.path("blob"), d.path("no/such/dir/out")}).exit == 19);
  CHECK(cli({"decode", "--meta", d.path("absent"), d.path("blob")}).exit == 2);
  CHECK(cli({"decode", d.path("absent-blob")}).exit == 18);
}

TEST_CASE("put: flow names that are not identifiers never reach the filesystem (F5)", "[cli][security]") {
  Dir d;
  d.write("in", as_bytes("x"));
  fs::create_directory(d.path("root"));
  for (const char* flow : {"../escaped", "/tmp/abs", "a/b", "", "a\nb", ".."}) {
    INFO(flow);
    CHECK(cli({"put", "--root", d.path("root"), "--flow", flow, d.path("in")}).exit == 2);
    CHECK(cli({"get", "--root", d.path("root"), "--flow", flow, std::string(40, 'a'), d.path("o")}).exit == 2);
  }
  CHECK(d.all() == std::vector<std::string>{"in"});
}

TEST_CASE("put tries every file and reports each (F21)", "[cli]") {
  Dir d;
  d.write("a", as_bytes("first"));
  d.write("b", as_bytes("second"));
  auto r = cli({"put", "--root", d.path("root"), "--flow", "F", "--json", d.path("a"), d.path("missing"), d.path("b")});
  CHECK(r.exit == 18);
  auto j = json::parse(text(r.stdout_bytes));
  REQUIRE(j["objects"].size() == 3);
  CHECK(j["objects"][0]["key"] == sha1_hex(as_bytes("first")).value());
  CHECK(j["objects"][1]["error"] == "not_found");
  CHECK(j["objects"][2]["key"] == sha1_hex(as_bytes("second")).value());
  CHECK(cli({"get", "--root", d.path("root"), "--flow", "F", sha1_hex(as_bytes("second")).value(), d.path("o")}).exit == 0);
}

TEST_CASE("inspect escapes terminal controls and says what its bounded lists leave out (F16)", "[cli][security]") {
  Dir d;
  d.write("in", as_bytes("content"));
  REQUIRE(cli({"encode", "--name", "evil\x1b[2J\x07name", d.path("in"), d.path("blob")}).exit == 0);
  auto r = cli({"inspect", d.path("blob")});
  REQUIRE(r.exit == 0);
  const std::string out = text(r.stdout_bytes);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\x07') == std::string::npos);
  CHECK(out.find("evil\\x1b[2J\\x07name") != std::string::npos);
  // 5000 empty members: the list keeps 4096 and says so.
  Bytes empty_member = gzip_of("");
  Bytes many;
  for (int i = 0; i < 5000; ++i) many.insert(many.end(), empty_member.begin(), empty_member.end());
  d.write("many", many);
  auto m = cli({"inspect", "--no-meta", d.path("many")});
  CHECK(text(m.stdout_bytes).find("... 904 more members not listed") != std::string::npos);
}

TEST_CASE("inspect stops a bomb at --max-size (F16)", "[cli][security]") {
  Dir d;
  d.write("zeros", Bytes(std::size_t{8} << 20, 0));
  REQUIRE(cli({"encode", d.path("zeros"), d.path("bomb")}).exit == 0);
  auto r = cli({"inspect", "--json", "--max-size", "1000", d.path("bomb")});
  REQUIRE(r.exit == 0);
  CHECK(json::parse(text(r.stdout_bytes))["decode"]["error"] == "limit_exceeded");
}

TEST_CASE("decode output honours the umask (F11)", "[cli][security]") {
  Dir d;
  d.write("in", as_bytes("private"));
  REQUIRE(cli({"encode", d.path("in"), d.path("blob")}).exit == 0);
  mode_t old = ::umask(077);
  auto r = cli({"decode", d.path("blob"), d.path("out")});
  ::umask(old);
  REQUIRE(r.exit == 0);
  struct stat st {};
  REQUIRE(::stat(d.path("out").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("encode over an existing OUT replaces both files, the old sidecar never beside the new payload (F3b)", "[cli]") {
  Dir d;
  d.write("in", as_bytes("content that is not gzip"));
  REQUIRE(cli({"encode", "--raw", d.path("in"), d.path("blob")}).exit == 0);
  REQUIRE(cli({"encode", "--version", "1", d.path("in"), d.path("blob")}).exit == 0);
  auto legacy = cli({"decode", "--profile", "legacy", d.path("blob"), "-"});
  CHECK(legacy.exit == 0);
  CHECK(text(legacy.stdout_bytes) == "content that is not gzip");
  CHECK(d.all() == std::vector<std::string>{"blob", "blob_meta", "in"});
}

TEST_CASE("a put killed by SIGTERM, SIGINT or SIGHUP leaves no temporary file (F12)", "[cli]") {
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
    Dir d;
    fs::create_directory(d.path("root"));
    int in[2];
    REQUIRE(::pipe(in) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    std::vector<std::string> argv{CASBLOB_CLI, "put", "--root", d.path("root"), "--flow", "F", "-"};
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_t pid;
    REQUIRE(posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    Bytes chunk(1 << 20, 'x');
    REQUIRE(::write(in[1], chunk.data(), chunk.size()) == static_cast<ssize_t>(chunk.size()));
    // Wait until the staging file exists, then kill the writer in the middle of its work.
    for (int i = 0; i < 500 && !d.has_temporaries(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(d.has_temporaries());
    ::kill(pid, sig);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(in[1]);
    INFO("signal " << sig);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    CHECK_FALSE(d.has_temporaries());
  }
}

TEST_CASE("encode over an existing OUT, killed after any write, fsync or rename, never pairs old and new (F3b)",
          "[cli][crash]") {
  // The state a crash leaves is reached deterministically: CASBLOB_FAILPOINT kills the process
  // right after its n-th operation of one kind (src/common/failpoint.hpp).
  const std::string content = "content that is not gzip";
  std::size_t states = 0;
  for (const char* op : {"write", "fsync", "rename"})
    for (int n = 1; n <= 6; ++n) {
      Dir d;
      d.write("in", as_bytes(content));
      REQUIRE(cli({"encode", "--raw", d.path("in"), d.path("blob")}).exit == 0);
      auto r = test::run_command({"env", std::string("CASBLOB_FAILPOINT=") + op + ":" + std::to_string(n), CASBLOB_CLI,
                                  "encode", "--version", "1", d.path("in"), d.path("blob")});
      INFO(op << ":" << n << " exit " << r.exit << " files " << d.all().size());
      // Whatever was left: the blob reads right, or is absent; never the old raw sidecar beside
      // the new gzip payload, which legacy would return as content (wrong bytes).
      for (const char* profile : {"legacy", "v2", "strict"}) {
        auto got = cli({"decode", "--profile", profile, "--no-meta", d.path("in")});  // sanity: CLI runs
        REQUIRE(got.exit != 1);
        auto read = cli({"decode", "--profile", profile, d.path("blob"), "-"});
        if (read.exit == 0) CHECK(text(read.stdout_bytes) == content);
        else CHECK(read.exit == 18);
      }
      ++states;
    }
  CHECK(states == 18);
}

TEST_CASE("an output that is a device is written through, never replaced by a file (/dev/null as root)", "[cli][security]") {
  // Found when `casblob audit --json /dev/null` run as root left a regular file at /dev/null:
  // the atomic write renamed its temporary file over the device. Tested on a private device
  // node (null's major/minor) in a temporary folder, so a regression cannot break /dev/null.
  Dir d;
  const std::string null_dev = d.path("null");
  if (::mknod(null_dev.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) {
    WARN("mknod needs root: skipped");
    return;
  }
  auto still_a_device = [&] {
    struct stat st;
    return ::lstat(null_dev.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
  };
  Bytes data = test::seeded_bytes("text", 300000, 5);
  d.write("in", data);
  REQUIRE(cli({"encode", d.path("in"), d.path("blob")}).exit == 0);
  CHECK(cli({"decode", d.path("blob"), null_dev}).exit == 0);  // strict: spooled, then written
  CHECK(still_a_device());
  CHECK(cli({"decode", "--profile", "legacy", d.path("blob"), null_dev}).exit == 0);
  CHECK(still_a_device());
  fs::create_directories(d.dir / "store" / "F" / "data");
  REQUIRE(cli({"put", "--root", d.path("store"), "--flow", "F", d.path("in")}).exit == 0);
  CHECK(cli({"audit", "--no-progress", "--json", null_dev, "--jsonl", null_dev, "--markdown", null_dev, d.path("store")}).exit == 0);
  CHECK(still_a_device());
  CHECK(cli({"census", "--quick", "--no-fixtures", "--json", null_dev}).exit == 0);
  CHECK(still_a_device());
  // encode writes two files and cannot write through: refused, the device left alone.
  CHECK(cli({"encode", d.path("in"), null_dev}).exit != 0);
  CHECK(still_a_device());
  CHECK_FALSE(d.has_temporaries());
}
