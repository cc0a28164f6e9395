#include "support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace casblob::test {
namespace {

// A temporary file removed on scope exit.
struct TempFile {
  std::string path;
  explicit TempFile(const char* tag) {
    std::string tmpl = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/casblob-" + tag + "-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    int fd = mkstemp(buf.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path = buf.data();
  }
  ~TempFile() { std::remove(path.c_str()); }
  void write(ByteView b) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
  Bytes read() const {
    std::ifstream f(path, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }
};

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, ByteView stdin_bytes, const std::string& stdout_path,
                          const std::string& cwd) {
  // Files rather than pipes for stdin/stdout: no deadlock whatever the sizes.
  TempFile in("stdin"), out("stdout");
  in.write(stdin_bytes);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in.path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, stdout_path.empty() ? out.path.c_str() : stdout_path.c_str(),
                                   O_WRONLY | O_TRUNC, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot run " + argv[0] + ": " + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  CommandResult r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (stdout_path.empty()) r.stdout_bytes = out.read();
  return r;
}

Bytes run_python(const std::string& script, ByteView stdin_bytes) {
  const char* python = std::getenv("CASBLOB_PYTHON");
#ifdef CASBLOB_PYTHON
  if (!python || !*python) python = CASBLOB_PYTHON;
#endif
  if (!python || !*python) python = "/usr/bin/python3";
  // `-c` from the project's python/ folder: the script imports the oracles (metaflow_model, ...)
  // as the in-place tools do, with no path manipulation (python/README.md).
  CommandResult r = run_command({python, "-c", script}, stdin_bytes, "", std::string(CASBLOB_SOURCE_DIR) + "/python");
  if (r.exit != 0) throw std::runtime_error("python exited with status " + std::to_string(r.exit));
  return r.stdout_bytes;
}

Bytes seeded_bytes(const std::string& kind, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Bytes b;
  b.reserve(n + 16);
  if (kind == "random") {
    while (b.size() < n) {
      std::uint64_t v = rng();
      for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
  } else if (kind == "text") {
    static const char* words[] = {"flow", "step", "artifact", "metaflow", "the", "a", "of", "data",
                                  "blob", "store", "content", "addressed", "run", "task", "card",
                                  "parameter", "foreach", "join", "resume", "namespace"};
    while (b.size() < n) {
      const char* w = words[rng() % 20];
      b.insert(b.end(), w, w + std::strlen(w));
      b.push_back(rng() % 11 == 0 ? '\n' : ' ');
    }
  } else if (kind == "float64") {
    // A noisy random walk: compresses a little (exponents and high mantissa bytes repeat).
    std::normal_distribution<double> noise(0.0, 0.01);
    double x = 20.0;
    while (b.size() < n) {
      x += noise(rng);
      double r = std::round(x * 1e4) / 1e4;
      std::uint8_t raw[8];
      std::memcpy(raw, &r, 8);
      b.insert(b.end(), raw, raw + 8);
    }
  } else if (kind == "zeros") {
    b.assign(n, 0);
  } else {
    throw std::invalid_argument("seeded_bytes: unknown kind " + kind);
  }
  b.resize(n);
  return b;
}

Bytes pack_list(const std::vector<Bytes>& items) {
  Bytes out;
  auto put32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put32(static_cast<std::uint32_t>(items.size()));
  for (const auto& it : items) {
    put32(static_cast<std::uint32_t>(it.size()));
    out.insert(out.end(), it.begin(), it.end());
  }
  return out;
}

std::vector<Bytes> unpack_list(ByteView data) {
  std::size_t p = 0;
  auto get32 = [&]() {
    if (p + 4 > data.size()) throw std::runtime_error("unpack_list: short input");
    std::uint32_t v = std::uint32_t{data[p]} | std::uint32_t{data[p + 1]} << 8 |
                      std::uint32_t{data[p + 2]} << 16 | std::uint32_t{data[p + 3]} << 24;
    p += 4;
    return v;
  };
  std::uint32_t n = get32();
  std::vector<Bytes> items;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t len = get32();
    if (p + len > data.size()) throw std::runtime_error("unpack_list: short item");
    items.emplace_back(data.begin() + p, data.begin() + p + len);
    p += len;
  }
  return items;
}

const char* const kPythonListHelpers = R"PY(
import struct, sys
def read_list(data=None):
    data = sys.stdin.buffer.read() if data is None else data
    n, = struct.unpack_from("<I", data, 0)
    p, items = 4, []
    for _ in range(n):
        k, = struct.unpack_from("<I", data, p)
        items.append(data[p + 4:p + 4 + k])
        p += 4 + k
    return items
def write_list(items):
    out = [struct.pack("<I", len(items))]
    for it in items:
        out.append(struct.pack("<I", len(it)))
        out.append(bytes(it))
    sys.stdout.buffer.write(b"".join(out))
    sys.stdout.buffer.flush()
)PY";

std::string hex(ByteView b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto c : b) {
    s.push_back(d[c >> 4]);
    s.push_back(d[c & 15]);
  }
  return s;
}

std::vector<std::string> files_under(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (!e.is_directory()) out.push_back(std::filesystem::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream f(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

TempDir::TempDir() {
  std::string t = (std::filesystem::temp_directory_path() / "casblob-test-XXXXXX").string();
  if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
  dir = t;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

void write_file(const std::filesystem::path& file, std::string_view data) {
  std::ofstream(file, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
}

Bytes TempDir::read(const std::string& name) const {
  std::string s = slurp(dir / name);
  return Bytes(s.begin(), s.end());
}

Result<std::size_t> TrickleSource::read(std::span<std::uint8_t> buf) {
  asked.push_back(buf.size());
  const std::size_t n = std::min({buf.size(), data_.size() - pos_, max_});
  std::copy_n(data_.data() + pos_, n, buf.data());
  pos_ += n;
  return n;
}

}  // namespace casblob::test
