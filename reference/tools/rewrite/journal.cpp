#include "rewrite/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace casblob::rewrite {

Result<std::unique_ptr<Journal>> Journal::open(const std::string& path, bool resume) {
  const int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (resume ? 0 : O_EXCL);
  int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0) {
    if (errno == EEXIST)
      return Error(Errc::usage, "journal " + path + " exists: --resume continues it, or give another --journal");
    return Error(Errc::io_error, "cannot open journal " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<Journal>(new Journal(path, fd));
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

Status Journal::append(const std::string& json_line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!status_.ok()) return status_;
  const std::string line = json_line + "\n";
  std::size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(fd_, line.data() + off, line.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = Error(Errc::io_error, "cannot write journal " + path_ + ": " + std::strerror(errno));
      return status_;
    }
    off += static_cast<std::size_t>(n);
  }
  return {};
}

Status Journal::close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (fd_ < 0) return status_;
  if (status_.ok() && ::fsync(fd_) != 0) status_ = Error(Errc::io_error, "cannot fsync journal " + path_ + ": " + std::strerror(errno));
  ::close(fd_);
  fd_ = -1;
  return status_;
}

Result<JournalState> read_journal(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(Errc::not_found, "no journal " + path);
  JournalState st;
  std::string line;
  while (std::getline(in, line)) {
    ++st.lines;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ++st.torn;
      continue;
    }
    const std::string type = j.value("type", "");
    if (type == "begin") {
      if (st.command.empty()) {
        st.command = j.value("command", "");
        st.root = j.value("root", "");
        st.target = j.value("target", "");
      }
      if (j.value("apply", false)) st.applied = true;
    } else if (type == "blob" && j.value("apply", false)) {
      const std::string o = j.value("outcome", "");
      if (o == "rewritten" || o == "in_target") st.done.insert(j.value("path", ""));
    }
  }
  return st;
}

}  // namespace casblob::rewrite
