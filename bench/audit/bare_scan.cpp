// The bare-library scanner the audit is measured against (bench/audit/README.md): what a
// minimal, careful loop over a Metaflow local datastore costs with zlib, liblz4 and OpenSSL
// used directly and at their fastest (contexts reused, buffers warm): readdir, openat, read
// the sidecar and the payload, decode (gzip members, lz4 frames, raw), SHA-1, compare with the
// key. No safety checks, no profiles, no findings: the ceiling, not a reader.
//
// --audit-io adds the two pieces of I/O the audit cannot skip, still with bare code: the
// sidecar's fstat before it is read (R-SEC-6: regular files only) and the task-index walk
// (<run>/<step>/<task>/<attempt>.data.json, attempts probed until one is missing, the keys of
// `objects` found by a scan for quoted 40-character strings, no JSON parser). It measures how
// much of the audit's cost over the plain loop is that work rather than the audit's code.
//
//   audit_bare_scan ROOT [--jobs N] [--flow F]... [--no-decode] [--audit-io]
// prints one JSON object: blobs, stored and content bytes, wrong (key mismatches),
// references (--audit-io), seconds.
#define OPENSSL_SUPPRESS_DEPRECATED  // SHA1_Init & co.
#include <dirent.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Totals {
  std::atomic<unsigned long long> blobs{0}, stored{0}, content{0}, wrong{0}, references{0};
};

class Worker {
 public:
  explicit Worker(bool audit_io) : audit_io_(audit_io), in_(1 << 20), out_(256 << 10) {
    std::memset(&z_, 0, sizeof z_);
    inflateInit2(&z_, 15 + 16);
    LZ4F_createDecompressionContext(&lz4_, LZ4F_VERSION);
  }
  ~Worker() {
    inflateEnd(&z_);
    LZ4F_freeDecompressionContext(lz4_);
  }

  void scan_dir(int dir_fd, bool decode, Totals& t) {
    DIR* d = fdopendir(dir_fd);
    if (!d) return;
    while (dirent* e = readdir(d)) {
      const std::size_t n = std::strlen(e->d_name);
      if (n != 40) continue;  // a key; "<key>_meta" is read with its blob
      blob(dirfd(d), e->d_name, decode, t);
    }
    closedir(d);
  }

 private:
  // The sidecar, as a bare loop reads it: look for the two values, no JSON parser.
  void read_meta(int dir, const char* key, bool& raw, int& version) {
    char name[64], buf[512];
    std::snprintf(name, sizeof name, "%s_meta", key);
    raw = false, version = 0;  // 0: no sidecar, read as gzip
    int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (audit_io_ && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
      close(fd);
      return;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return;
    buf[n] = 0;
    raw = std::strstr(buf, "\"cas_raw\": true") != nullptr;
    version = std::strstr(buf, "\"cas_version\": 2") ? 2 : 1;
  }

  void blob(int dir, const char* key, bool decode, Totals& t) {
    bool raw;
    int version;
    read_meta(dir, key, raw, version);
    int fd = openat(dir, key, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    fstat(fd, &st);
    if (in_.size() < static_cast<std::size_t>(st.st_size) && st.st_size <= (64 << 20)) in_.resize(static_cast<std::size_t>(st.st_size));
    std::size_t len = 0;
    unsigned long long content = 0;
    SHA1_Init(&sha_);
    bool streaming = static_cast<std::size_t>(st.st_size) > in_.size();
    // Small payloads: one read; large ones (> 64 MiB) stream in 1 MiB chunks.
    for (;;) {
      ssize_t n = read(fd, in_.data() + (streaming ? 0 : len), streaming ? in_.size() : in_.size() - len);
      if (n <= 0) break;
      if (!streaming) {
        len += static_cast<std::size_t>(n);
        if (len < in_.size()) continue;
        break;
      }
      if (decode) content += feed(raw, version, in_.data(), static_cast<std::size_t>(n), false);
    }
    close(fd);
    t.stored += static_cast<unsigned long long>(st.st_size);
    ++t.blobs;
    if (!decode) return;
    if (!streaming) content += feed(raw, version, in_.data(), len, true);
    unsigned char md[20];
    SHA1_Final(md, &sha_);
    char hex[41];
    for (int i = 0; i < 20; ++i) std::snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (std::memcmp(hex, key, 40) != 0) ++t.wrong;
    t.content += content;
  }

  // Decodes `n` bytes, hashing the output; returns the bytes of content produced.
  unsigned long long feed(bool raw, int version, const std::uint8_t* p, std::size_t n, bool whole) {
    unsigned long long produced = 0;
    if (raw) {
      SHA1_Update(&sha_, p, n);
      return n;
    }
    if (version == 2) {
      while (n > 0) {
        std::size_t src = n, dst = out_.size();
        std::size_t r = LZ4F_decompress(lz4_, out_.data(), &dst, p, &src, nullptr);
        SHA1_Update(&sha_, out_.data(), dst);
        produced += dst;
        p += src, n -= src;
        if (LZ4F_isError(r)) {
          LZ4F_resetDecompressionContext(lz4_);
          break;
        }
        if (r == 0) LZ4F_resetDecompressionContext(lz4_);  // end of a frame: the next one may follow
      }
      return produced;
    }
    z_.next_in = const_cast<Bytef*>(p);
    z_.avail_in = static_cast<uInt>(n);
    while (z_.avail_in > 0) {
      z_.next_out = out_.data();
      z_.avail_out = static_cast<uInt>(out_.size());
      int r = inflate(&z_, Z_NO_FLUSH);
      const std::size_t got = out_.size() - z_.avail_out;
      SHA1_Update(&sha_, out_.data(), got);
      produced += got;
      if (r == Z_STREAM_END) {
        inflateReset(&z_);  // gzip members concatenate
        continue;
      }
      if (r != Z_OK && r != Z_BUF_ERROR) {
        inflateReset(&z_);
        break;
      }
      if (r == Z_BUF_ERROR && z_.avail_out != 0) break;
    }
    if (whole) inflateReset(&z_);
    return produced;
  }

  bool audit_io_;
  SHA_CTX sha_{};  // SHA-1 by the low-level calls, as casblob's Sha1 (key.cpp says why)
  z_stream z_;
  LZ4F_dctx* lz4_ = nullptr;
  std::vector<std::uint8_t> in_, out_;
};

// The subfolders of `path` (dot entries and `_meta`-like names skipped).
std::vector<std::string> subdirs(const std::string& path) {
  std::vector<std::string> out;
  DIR* d = opendir(path.c_str());
  while (dirent* e = d ? readdir(d) : nullptr)
    if (e->d_type == DT_DIR && e->d_name[0] != '.' && e->d_name[0] != '_') out.push_back(path + "/" + e->d_name);
  if (d) closedir(d);
  return out;
}

// The quoted 40-character strings after `"objects": {` up to its `}`: the references.
unsigned long long count_references(const char* text) {
  const char* p = std::strstr(text, "\"objects\": {");
  if (!p) return 0;
  unsigned long long n = 0;
  for (p += 12; *p && *p != '}'; ++p) {
    if (*p != '"') continue;
    const char* end = std::strchr(p + 1, '"');
    if (!end) break;
    n += end - p - 1 == 40;
    p = end;
  }
  return n;
}

// Every task index of one run, as Metaflow finds them: attempts 0, 1, ... until one is missing.
void walk_run(const std::string& run, std::string& text, Totals& t) {
  for (const auto& step : subdirs(run))
    for (const auto& task : subdirs(step))
      for (int attempt = 0; attempt < 6; ++attempt) {
        const std::string path = task + "/" + std::to_string(attempt) + ".data.json";
        int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) break;
        struct stat st {};
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
          text.resize(static_cast<std::size_t>(st.st_size) + 1);
          const ssize_t n = read(fd, text.data(), static_cast<std::size_t>(st.st_size));
          text[n > 0 ? static_cast<std::size_t>(n) : 0] = 0;
          t.references += count_references(text.c_str());
        }
        close(fd);
      }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: audit_bare_scan ROOT [--jobs N] [--flow F]... [--no-decode]\n");
    return 2;
  }
  std::string root = argv[1];
  unsigned jobs = 1;
  bool decode = true, audit_io = false;
  std::vector<std::string> flows;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--jobs" && i + 1 < argc) jobs = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (a == "--flow" && i + 1 < argc) flows.push_back(argv[++i]);
    else if (a == "--no-decode") decode = false;
    else if (a == "--audit-io") audit_io = true;
  }
  const auto t0 = std::chrono::steady_clock::now();
  if (flows.empty()) {
    DIR* d = opendir(root.c_str());
    while (dirent* e = d ? readdir(d) : nullptr)
      if (e->d_name[0] != '.') flows.emplace_back(e->d_name);
    if (d) closedir(d);
  }
  std::vector<std::string> dirs;  // every <flow>/data/<kk>
  std::vector<std::string> runs;  // --audit-io: every <flow>/<run>
  for (const auto& f : flows) {
    if (audit_io)
      for (auto& r : subdirs(root + "/" + f))
        if (r.compare(r.size() - 5, 5, "/data") != 0) runs.push_back(std::move(r));
    std::string data = root + "/" + f + "/data";
    DIR* d = opendir(data.c_str());
    while (dirent* e = d ? readdir(d) : nullptr)
      if (std::strlen(e->d_name) == 2) dirs.push_back(data + "/" + e->d_name);
    if (d) closedir(d);
  }
  Totals t;
  std::atomic<std::size_t> next{0}, next_run{0};
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j)
    threads.emplace_back([&] {
      Worker w(audit_io);
      std::string text;
      for (std::size_t i; (i = next_run++) < runs.size();) walk_run(runs[i], text, t);
      for (std::size_t i; (i = next++) < dirs.size();) {
        int fd = open(dirs[i].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) w.scan_dir(fd, decode, t);
      }
    });
  for (auto& th : threads) th.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"blobs\": %llu, \"stored_bytes\": %llu, \"content_bytes\": %llu, \"wrong\": %llu, \"references\": %llu, \"seconds\": %.6f}\n",
              t.blobs.load(), t.stored.load(), t.content.load(), t.wrong.load(), t.references.load(), s);
  return 0;
}
