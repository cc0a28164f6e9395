// Shared test helpers: ground truth from the real Python modules, payload generators, and
// chunked feeding for the streaming codecs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "casblob/io.hpp"

namespace casblob::test {

// Runs CASBLOB_PYTHON (/usr/bin/python3: the one with python3-lz4) on `script` (python -c, from
// the project's python/ folder, so `import metaflow_model` works), with `stdin_bytes` as standard input; returns standard output. Throws
// std::runtime_error (with stderr) when python exits non-zero. One process per call: batch
// many cases into one script.
Bytes run_python(const std::string& script, ByteView stdin_bytes = {});

struct CommandResult {
  int exit = -1;  // exit status, or 128 + signal
  Bytes stdout_bytes;
};
// Runs argv[0] (searched in PATH) with the arguments; stderr is passed through. With
// `stdout_path`, standard output goes to that file instead (e.g. /dev/full) and is not read.
CommandResult run_command(const std::vector<std::string>& argv, ByteView stdin_bytes = {},
                          const std::string& stdout_path = "", const std::string& cwd = "");

// Deterministic payloads: "random" (incompressible), "text" (words), "float64" (a smooth
// float64 series, like a numpy array of measurements), "zeros".
Bytes seeded_bytes(const std::string& kind, std::size_t n, std::uint64_t seed = 1);

// Length-prefixed framing to pass many byte strings to/from one python process:
// u32 count, then per item u32 length + bytes (little-endian).
Bytes pack_list(const std::vector<Bytes>& items);
std::vector<Bytes> unpack_list(ByteView data);

// Feeds `data` to anything with update(ByteView) -> Status in random chunk sizes (including
// 1-byte chunks and empty calls), then finish(). Returns the first failing Status or finish().
template <class Decoder>
Status chunked_feed(Decoder& dec, ByteView data, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t n;
    switch (rng() % 4) {
      case 0: n = 1; break;
      case 1: n = rng() % 16; break;
      case 2: n = rng() % 4096; break;
      default: n = rng() % (256 * 1024); break;
    }
    n = std::min(n, data.size() - i);
    Status s = dec.update(data.subspan(i, n));
    if (!s) return s;
    i += n;
  }
  return dec.finish();
}

// Same for writers: write() in random pieces, then finish().
template <class Writer>
Status chunked_write(Writer& w, ByteView data, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::size_t i = 0;
  while (i < data.size()) {
    std::size_t n;
    switch (rng() % 4) {
      case 0: n = 1; break;
      case 1: n = rng() % 16; break;
      case 2: n = rng() % 70000; break;
      default: n = rng() % (1 << 20); break;
    }
    n = std::min(n, data.size() - i);
    Status s = w.write(data.subspan(i, n));
    if (!s) return s;
    i += n;
  }
  return w.finish();
}

std::string hex(ByteView b);

// Every file below `dir` (not directories), relative to it, sorted.
std::vector<std::string> files_under(const std::filesystem::path& dir);
// A whole file's bytes as a string ("" when absent); a file made of `data`.
std::string slurp(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, std::string_view data);

// A fresh directory under $TMPDIR, removed with all it holds.
struct TempDir {
  std::filesystem::path dir;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return (dir / name).string(); }
  void write(const std::string& name, ByteView data) const { write_file(dir / name, {reinterpret_cast<const char*>(data.data()), data.size()}); }
  Bytes read(const std::string& name) const;
  std::vector<std::string> files() const { return files_under(dir); }
};

// A Source that returns at most `max` bytes per read (a pipe, a socket: partial reads), and
// announces `hint` as its size (a file) or none (a pipe). `asked` records the size of every span
// it was asked to fill, for tests of how readers size their buffers.
class TrickleSource final : public Source {
 public:
  TrickleSource(ByteView data, std::size_t max, std::optional<std::uint64_t> hint = std::nullopt)
      : data_(data), max_(max), hint_(hint) {}
  Result<std::size_t> read(std::span<std::uint8_t> buf) override;
  std::optional<std::uint64_t> size_hint() const override { return hint_; }
  std::vector<std::size_t> asked;

 private:
  ByteView data_;
  std::size_t max_, pos_ = 0;
  std::optional<std::uint64_t> hint_;
};

// Python side of pack_list/unpack_list, to put at the top of scripts:
// read_list() reads a packed list from stdin; write_list(items) writes one to stdout.
extern const char* const kPythonListHelpers;

}  // namespace casblob::test
