#include "io_targets.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace casblob::cli {

Result<std::unique_ptr<Source>> open_input(const std::string& path) {
  if (path == "-") return std::unique_ptr<Source>(std::make_unique<FileSource>(FileSource::adopt(STDIN_FILENO, false)));
  auto src = FileSource::open(path);
  if (!src) return src.error();
  return std::unique_ptr<Source>(std::make_unique<FileSource>(std::move(*src)));
}

namespace {

Status write_all(int fd, ByteView data, const char* what) {
  const std::uint8_t* p = data.data();
  std::size_t left = data.size();
  while (left) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(Errc::io_error, std::string("cannot write to ") + what + ": " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Status StdoutSink::write(ByteView data) {
  // Text written through std::cout must not be overtaken by bytes written here.
  std::cout.flush();
  return write_all(STDOUT_FILENO, data, "standard output");
}

bool is_device_output(const std::string& path) {
  struct stat st;
  return path != "-" && ::stat(path.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

Result<DeviceSink> DeviceSink::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error(Errc::io_error, "cannot open " + path + " for writing: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
    ::close(fd);
    return Error(Errc::io_error, path + " is no longer a device or FIFO");
  }
  return DeviceSink(fd, path);
}

DeviceSink::DeviceSink(DeviceSink&& o) noexcept : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)) {}
DeviceSink::~DeviceSink() {
  if (fd_ >= 0) ::close(fd_);
}
Status DeviceSink::write(ByteView data) { return write_all(fd_, data, path_.c_str()); }

Status flush_stdout() {
  std::cout.flush();
  if (!std::cout) return Error(Errc::io_error, "cannot write to standard output");
  return {};
}

namespace {

// Memory first, then an anonymous temporary file (honouring TMPDIR) beyond kSpoolMemoryBytes:
// bounded memory, and a small blob never touches the disk (issue 19 item 6, spec 10.6).
class Spool final : public Sink {
 public:
  ~Spool() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status write(ByteView d) override {
    if (fd_ < 0 && mem_.size() + d.size() <= kSpoolMemoryBytes) {
      mem_.insert(mem_.end(), d.begin(), d.end());
      return {};
    }
    if (fd_ < 0) CASBLOB_TRY(open_file());
    return write_all(fd_, d, "the spool file");
  }
  // After verification: the spooled bytes to `out` (standard output or a device).
  Status copy_to(Sink& out) {
    CASBLOB_TRY(out.write(mem_));
    if (fd_ < 0) return {};
    if (::lseek(fd_, 0, SEEK_SET) != 0) return Error(Errc::io_error, "cannot rewind the spool file");
    Bytes buf(std::size_t{1} << 20);
    for (;;) {
      ssize_t n = ::read(fd_, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Error(Errc::io_error, std::string("cannot read the spool file: ") + std::strerror(errno));
      if (n == 0) return {};
      CASBLOB_TRY(out.write(ByteView(buf.data(), static_cast<std::size_t>(n))));
    }
  }

 private:
  Status open_file() {
    const char* env = std::getenv("TMPDIR");
    std::string dir = env && *env ? env : "/tmp";
    // O_TMPFILE: no name, nothing left behind whatever kills us; else a name unlinked at once.
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      std::string tmpl = dir + "/casblob-spool-XXXXXX";
      fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);
      if (fd_ >= 0) ::unlink(tmpl.c_str());
    }
    if (fd_ < 0) return Error(Errc::io_error, "cannot create a spool file in " + dir + ": " + std::strerror(errno));
    Status s = write_all(fd_, mem_, "the spool file");
    mem_.clear();
    mem_.shrink_to_fit();
    return s;
  }
  Bytes mem_;
  int fd_ = -1;
};

// Every write fails with one error: an output that could not be opened.
class FailingSink final : public Sink {
 public:
  explicit FailingSink(Error e) : error_(std::move(e)) {}
  Status write(ByteView) override { return error_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// The file is created on the first write or at commit.
class LazyFile final : public Sink {
 public:
  LazyFile(std::string path, Durability d) : path_(std::move(path)), durability_(d) {}
  Status write(ByteView d) override {
    CASBLOB_TRY(ensure());
    return file_->write(d);
  }
  Status commit() {
    CASBLOB_TRY(ensure());
    return file_->commit();
  }

 private:
  Status ensure() {
    if (file_) return {};
    auto f = AtomicFileSink::create(path_, durability_);
    if (!f) return f.error();
    file_.emplace(std::move(*f));
    return {};
  }
  std::string path_;
  Durability durability_;
  std::optional<AtomicFileSink> file_;
};

}  // namespace

struct OutputTarget::Impl {
  enum class Kind { file, spool, direct } kind;
  std::optional<LazyFile> file;
  std::optional<Spool> spool;
  StdoutSink stdout_sink;
  std::optional<DeviceSink> device;     // an existing device or FIFO, else standard output
  std::optional<FailingSink> failing;  // the device could not be opened: every write says so
  Sink& out() {
    if (failing) return *failing;
    if (device) return *device;
    return stdout_sink;
  }
};

OutputTarget::OutputTarget(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OutputTarget::OutputTarget(OutputTarget&&) noexcept = default;
OutputTarget::~OutputTarget() = default;

OutputTarget OutputTarget::make(std::string path, bool verify_first, Durability durability) {
  auto impl = std::make_unique<Impl>();
  const bool device = is_device_output(path);
  if (path != "-" && !device) {
    impl->kind = Impl::Kind::file;
    impl->file.emplace(std::move(path), durability);
    return OutputTarget(std::move(impl));
  }
  if (device) {
    auto d = DeviceSink::open(path);
    if (d) impl->device.emplace(std::move(*d));
    else impl->failing.emplace(d.error());
  }
  impl->kind = verify_first ? Impl::Kind::spool : Impl::Kind::direct;
  if (verify_first) impl->spool.emplace();
  return OutputTarget(std::move(impl));
}

Sink& OutputTarget::sink() {
  switch (impl_->kind) {
    case Impl::Kind::file: return *impl_->file;
    case Impl::Kind::spool: return *impl_->spool;
    case Impl::Kind::direct: break;
  }
  return impl_->out();
}

Status OutputTarget::commit() {
  if (impl_->failing) return impl_->failing->error();
  switch (impl_->kind) {
    case Impl::Kind::file: return impl_->file->commit();
    case Impl::Kind::spool: return impl_->spool->copy_to(impl_->out());
    case Impl::Kind::direct: break;
  }
  return {};
}

}  // namespace casblob::cli
