// io.hpp: regular files only for reading, atomic and exclusive writes, recognisable temporary
// names, bounded whole-file reads (spec 10.6, 10.7).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "casblob/casblob.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace casblob;


TEST_CASE("FileSource refuses FIFOs, devices and directories before reading (F7)", "[io][security]") {
  test::TempDir t;
  const std::string fifo = (t.dir / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  for (const std::string& path : {fifo, std::string("/dev/zero"), std::string("/dev/null"), t.dir.string()}) {
    INFO(path);
    auto src = FileSource::open(path);  // returns at once: opened non-blocking
    REQUIRE_FALSE(src);
    CHECK(src.error().code == Errc::io_error);
    CHECK(src.error().message.find("not a regular file") != std::string::npos);
  }
  CHECK(FileSource::open((t.dir / "absent").string()).error().code == Errc::not_found);
}

TEST_CASE("AtomicFileSink: nothing at the target until commit, a marked temporary meanwhile", "[io]") {
  test::TempDir t;
  const fs::path out = t.dir / "out.bin";
  {
    auto sink = AtomicFileSink::create(out.string());
    REQUIRE(sink);
    REQUIRE(sink->write(as_bytes("partial")));
    auto names = t.files();
    REQUIRE(names.size() == 1);
    CHECK(names[0].rfind(".out.bin" + std::string(kTempMarker), 0) == 0);
    CHECK_FALSE(fs::exists(out));
  }  // abandoned
  CHECK(t.files().empty());
  auto sink = AtomicFileSink::create(out.string());
  REQUIRE(sink);
  REQUIRE(sink->write(as_bytes("whole")));
  REQUIRE(sink->commit());
  CHECK(test::slurp(out) == "whole");
  CHECK(t.files() == std::vector<std::string>{"out.bin"});
  CHECK(sink->commit().code() == Errc::usage);  // once
}

TEST_CASE("AtomicFileSink::commit_to without replace never overwrites, and stays usable", "[io]") {
  test::TempDir t;
  {
    std::ofstream(t.dir / "taken") << "first";
  }
  auto sink = AtomicFileSink::create((t.dir / "x").string());
  REQUIRE(sink);
  REQUIRE(sink->write(as_bytes("second")));
  int dir = ::open(t.dir.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(dir >= 0);
  auto placed = sink->commit_to(dir, "taken", "taken", false);
  REQUIRE(placed);
  CHECK_FALSE(*placed);
  CHECK(test::slurp(t.dir / "taken") == "first");
  auto again = sink->commit_to(dir, "free", "free", false);
  ::close(dir);
  REQUIRE(again);
  CHECK(*again);
  CHECK(test::slurp(t.dir / "free") == "second");
  CHECK(t.files() == std::vector<std::string>{"free", "taken"});
}

TEST_CASE("AtomicFileSink in a missing directory is io_error, not not_found (F18)", "[io]") {
  test::TempDir t;
  auto sink = AtomicFileSink::create((t.dir / "no" / "such" / "dir" / "out").string());
  REQUIRE_FALSE(sink);
  CHECK(sink.error().code == Errc::io_error);
}

TEST_CASE("AtomicFileSink honours the umask (F11)", "[io][security]") {
  test::TempDir t;
  for (mode_t mask : {mode_t{022}, mode_t{077}, mode_t{002}}) {
    const fs::path out = t.dir / ("m" + std::to_string(mask));
    mode_t old = ::umask(mask);
    auto sink = AtomicFileSink::create(out.string());
    ::umask(old);
    REQUIRE(sink);
    REQUIRE(sink->commit());
    struct stat st {};
    REQUIRE(::stat(out.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == (0666 & ~mask));
  }
}

TEST_CASE("remove_pending_temporaries removes uncommitted temporaries only (F12)", "[io]") {
  test::TempDir t;
  auto done = AtomicFileSink::create((t.dir / "done").string());
  auto pending = AtomicFileSink::create((t.dir / "pending").string());
  REQUIRE(done);
  REQUIRE(pending);
  REQUIRE(done->commit());
  REQUIRE(t.files().size() == 2);  // done + pending's temporary
  remove_pending_temporaries();
  CHECK(t.files() == std::vector<std::string>{"done"});
}

TEST_CASE("read_file reads at most its bound", "[io]") {
  test::TempDir t;
  {
    std::ofstream(t.dir / "f") << std::string(1000, 'a');
  }
  CHECK(read_file((t.dir / "f").string(), 1000)->size() == 1000);
  CHECK(read_file((t.dir / "f").string(), 999).error().code == Errc::io_error);
  CHECK(read_file("/dev/zero", 1 << 20).error().code == Errc::io_error);
}

TEST_CASE("AtomicFileSink refuses a target that exists and is not a regular file: the rename would replace it", "[io][security]") {
  test::TempDir t;
  const std::string fifo = (t.dir / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_directory(t.dir / "folder");
  for (const std::string& target : {fifo, (t.dir / "folder").string()}) {
    INFO(target);
    auto sink = AtomicFileSink::create(target);
    REQUIRE_FALSE(sink);
    CHECK(sink.error().code == Errc::io_error);
    CHECK(sink.error().message.find("not a regular file") != std::string::npos);
  }
  struct stat st;
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  for (const auto& e : fs::directory_iterator(t.dir))  // no temporary left behind
    CHECK(e.path().filename().string().find(kTempMarker) == std::string::npos);
}

TEST_CASE("FileSource: a short read at the size fstat gave is the end - a file grown since is read on", "[io]") {
  test::TempDir t;
  const fs::path path = t.dir / "f";
  std::ofstream(path, std::ios::binary) << "0123456789";
  std::uint8_t buf[64];
  {
    auto src = FileSource::open(path.string());
    REQUIRE(src);
    CHECK(src->read(std::span(buf, 4)).value() == 4);  // a full read: not the end yet
    CHECK(src->read(buf).value() == 6);                // short, and at the size: the end
    std::ofstream(path, std::ios::binary | std::ios::app) << "more";
    // What a reader that had made the next read() at once would have seen: the end. (No read
    // is made: the file's end is where the short read found it.)
    CHECK(src->read(buf).value() == 0);
  }
  {
    auto src = FileSource::open(path.string());  // 14 bytes now
    REQUIRE(src);
    std::ofstream(path, std::ios::binary | std::ios::app) << "tail";  // grows after the fstat
    CHECK(src->read(buf).value() == 18);  // past the size fstat gave: not taken for the end
    std::ofstream(path, std::ios::binary | std::ios::app) << "!";
    CHECK(src->read(buf).value() == 1);   // so the next read is made, and sees the growth
    CHECK(src->read(buf).value() == 0);
  }
}
