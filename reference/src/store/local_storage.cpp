// The local datastore (Metaflow's LocalStorage, spec 3.2 and 4.2) behind the Storage interface.
//
// Every path is resolved beneath the root's directory descriptor, one component at a time with
// O_NOFOLLOW, or (reads of a read-only store) several at once with openat2's RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS: a symbolic link anywhere below the root is refused, so a link planted in a
// store can send no read and no write outside it (spec 10.3, R-SEC-5). Writes are temporary
// file + fsync + rename + directory fsync (R-KEY-4, spec 10.6).
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "casblob/store.hpp"
#include "common/failpoint.hpp"
#include "common/os_error.hpp"
#include "common/read_open_flags.hpp"
#include "store/sidecar_limits.hpp"

namespace casblob {
namespace {

// A directory descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::pair<std::string_view, std::string_view> split_parent(std::string_view path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return {std::string_view{}, path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

ObjectInfo::Type type_of(mode_t m) {
  if (S_ISREG(m)) return ObjectInfo::Type::file;
  if (S_ISDIR(m)) return ObjectInfo::Type::directory;
  return ObjectInfo::Type::other;  // FIFOs, devices, sockets, symbolic links
}

std::int64_t mtime_ns_of(const struct stat& st) { return std::int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec; }

ObjectInfo info_of(std::string path, const struct stat& st) {
  ObjectInfo info;
  info.path = std::move(path);
  info.type = type_of(st.st_mode);
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.mtime_ns = mtime_ns_of(st);
  return info;
}

Error read_only_error(std::string_view what) {
  return Error(Errc::usage, std::string(what) + ": this datastore was opened read-only");
}

// Opens the directory `rel` beneath the directory `base_fd` (shown in messages as `shown`),
// one component at a time without following links, creating missing components (mode 0777
// minus the umask) when `create`. An empty `rel` is `base_fd` itself, as a new open file
// description: a dup would share the directory offset, so a second listing of it (or two
// threads listing it) would start at its end. R-SEC-5: no component may be a symbolic link.
Result<Fd> open_dir_beneath(int base_fd, std::string shown, std::string_view rel, bool create) {
  if (rel.empty()) {
    Fd dir(::openat(base_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) return detail::os_error("cannot open", shown, errno, Errc::io_error);
    return dir;
  }
  Fd dir;
  std::size_t i = 0;
  while (i < rel.size()) {
    std::size_t j = rel.find('/', i);
    if (j == std::string_view::npos) j = rel.size();
    std::string part(rel.substr(i, j - i));
    shown += "/" + part;
    const int at = dir.get() >= 0 ? dir.get() : base_fd;
    int fd = ::openat(at, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(at, part.c_str(), 0777) != 0 && errno != EEXIST)
        return detail::os_error("cannot create directory", shown, errno, Errc::io_error);
      fd = ::openat(at, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
      if (errno == ELOOP || errno == ENOTDIR) {
        struct stat st {};
        if (::fstatat(at, part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
          return Error(Errc::io_error, shown + ": a symbolic link inside a datastore is refused");
        return Error(Errc::io_error, shown + ": not a directory");
      }
      return detail::os_error("cannot open", shown, errno);
    }
    dir = Fd(fd);
    i = j + 1;
  }
  return dir;
}

// The file `rel` (one or more components, no "." or "..": check_relative_path) beneath the
// directory `dir_fd`, opened as FileSource::open_at opens a datastore's files, in one call
// that refuses a symbolic link in any component (RESOLVE_NO_SYMLINKS) and any way out of
// `dir_fd` (RESOLVE_BENEATH), as open_dir_beneath's walk does (R-SEC-5). -1 and errno on
// failure; ENOSYS where openat2 (Linux 5.6) is missing.
int open_file_beneath(int dir_fd, const char* rel) {
#ifdef SYS_openat2
  struct open_how how {};
  how.flags = detail::read_open_flags(false);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(::syscall(SYS_openat2, dir_fd, rel, &how, sizeof how));
#else
  (void)dir_fd, (void)rel;
  errno = ENOSYS;
  return -1;
#endif
}

// A file name as the NUL-terminated string openat wants, plus a suffix, without allocating
// (an audit opens two files per blob). A name longer than NAME_MAX stays too long: openat
// refuses it (ENAMETOOLONG), as it would the full name.
class NameZ {
 public:
  NameZ(std::string_view name, std::string_view suffix = {}) {
    if (name.size() + suffix.size() < sizeof small_) {
      std::memcpy(small_, name.data(), name.size());
      std::memcpy(small_ + name.size(), suffix.data(), suffix.size());
      small_[name.size() + suffix.size()] = '\0';
      str_ = small_;
    } else {
      large_.assign(name).append(suffix);
      str_ = large_.c_str();
    }
  }
  NameZ(const NameZ&) = delete;  // str_ may point into small_
  NameZ& operator=(const NameZ&) = delete;
  const char* c_str() const { return str_; }

 private:
  char small_[NAME_MAX + 1];
  std::string large_;
  const char* str_;
};

// The sidecar file "<blob>_meta" of the payload `blob` in the directory `dir_fd` (R-META-5);
// `root` and `blob_path` name it in messages.
Result<SidecarText> read_sidecar_beside(int dir_fd, std::string_view blob, std::string_view root, std::string_view blob_path) {
  const FileSource::ShownName shown{root, blob_path, "_meta"};
  return detail::read_sidecar_source(FileSource::open_at(dir_fd, NameZ(blob, "_meta").c_str(), shown, false), shown);
}

}  // namespace

// Only a read-only storage caches: it never creates or writes, so a directory replaced after
// it was looked up can at worst make it read what was there when it looked (as a slower reader
// would have), never write in the wrong place.
//
// One cache per thread (up to kShards threads; more share them): an audit's workers open every
// blob through it, and one shared list behind one mutex, its descriptors' reference counts
// bouncing between cores, made two workers spend 20 % more CPU than one on the same store
// (bench/audit, issue 15). Each worker opens its own descriptor of a directory it uses.
struct LocalStorage::DirCache {
  static constexpr std::size_t kShards = 8;
  static constexpr std::size_t kSize = 32;  // per shard: at most kShards * kSize descriptors
  struct alignas(64) Shard {
    std::mutex mu;  // two threads may share a shard
    std::vector<std::pair<std::string, std::shared_ptr<Fd>>> recent;  // most recent first
  };
  std::array<Shard, kShards> shards;

  // Threads take shards in the order they first use a cache: N <= kShards workers get N.
  static std::size_t shard_of_this_thread() {
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % kShards;
    return mine;
  }

  // What the cache holds for the directory `rel`: the directory itself (`exact`), or else its
  // nearest cached ancestor (`base`, whose path is the first `base_len` bytes of `rel`; none:
  // the root).
  struct Found {
    std::shared_ptr<Fd> exact, base;
    std::size_t base_len = 0;
  };
  Found find(std::string_view rel) {
    Shard& shard = shards[shard_of_this_thread()];
    Found found;
    std::lock_guard lock(shard.mu);
    auto& recent = shard.recent;
    for (std::size_t i = 0; i < recent.size(); ++i) {
      const std::string& p = recent[i].first;
      if (p == rel) {
        std::rotate(recent.begin(), recent.begin() + static_cast<std::ptrdiff_t>(i), recent.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        found.exact = recent.front().second;
        return found;
      }
      if (p.size() > found.base_len && rel.size() > p.size() && rel.substr(0, p.size()) == p && rel[p.size()] == '/')
        found.base = recent[i].second, found.base_len = p.size();
    }
    return found;
  }

  // The directory `rel`: cached, or opened from its nearest cached ancestor (a new task folder
  // of a cached step folder costs one openat) and cached. `*fresh` (when asked): whether this
  // call opened it, so that its description's offset is the caller's alone (list_entries).
  Result<std::shared_ptr<Fd>> get(int root_fd, const std::string& root, std::string_view rel, bool* fresh = nullptr) {
    Found found = find(rel);
    if (fresh) *fresh = !found.exact;
    if (found.exact) return found.exact;
    auto d = found.base ? open_dir_beneath(found.base->get(), root + "/" + std::string(rel.substr(0, found.base_len)),
                                           rel.substr(found.base_len + 1), false)
                        : open_dir_beneath(root_fd, root, rel, false);
    if (!d) return d.error();
    auto fd = std::make_shared<Fd>(std::move(*d));
    Shard& shard = shards[shard_of_this_thread()];
    std::lock_guard lock(shard.mu);
    shard.recent.insert(shard.recent.begin(), {std::string(rel), fd});
    if (shard.recent.size() > kSize) shard.recent.pop_back();
    return fd;
  }

  // The directory `rel` for reading: from the cache of a read-only storage, else opened anew
  // (then always `*fresh`).
  static Result<std::shared_ptr<Fd>> dir_for_read(DirCache* cache, int root_fd, const std::string& root, std::string_view rel,
                                                  bool* fresh = nullptr) {
    if (cache) return cache->get(root_fd, root, rel, fresh);
    if (fresh) *fresh = true;
    auto d = open_dir_beneath(root_fd, root, rel, false);
    if (!d) return d.error();
    return std::make_shared<Fd>(std::move(*d));
  }

  // `path`, checked (R-SEC-5), as the directory that holds it (for reading) and its name there.
  struct Parent {
    std::shared_ptr<Fd> dir;
    std::string_view name;  // within the path asked for
  };
  static Result<Parent> parent_for_read(DirCache* cache, int root_fd, const std::string& root, std::string_view path) {
    CASBLOB_TRY(check_relative_path(path));
    auto [parent, name] = split_parent(path);
    auto d = dir_for_read(cache, root_fd, root, parent);
    if (!d) return d.error();
    return Parent{std::move(*d), name};
  }
};

Result<std::unique_ptr<LocalStorage>> LocalStorage::open(const std::string& root, StorageOptions opts) {
  // The root itself may be a link (a user's choice); what is below it may not.
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return detail::os_error("cannot open the datastore root", root, errno);
  std::string shown = root;
  while (shown.size() > 1 && shown.back() == '/') shown.pop_back();
  return std::unique_ptr<LocalStorage>(new LocalStorage(std::move(shown), fd, opts));
}

LocalStorage::LocalStorage(std::string root, int root_fd, StorageOptions opts)
    : root_(std::move(root)), root_fd_(root_fd), opts_(opts), dir_cache_(opts.read_only ? std::make_unique<DirCache>() : nullptr) {}

LocalStorage::~LocalStorage() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

std::string LocalStorage::url() const {
  char* abs = ::realpath(root_.c_str(), nullptr);
  std::string url = "file://" + std::string(abs ? abs : root_.c_str());
  std::free(abs);
  return url;
}

Status LocalStorage::list(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) {
  return list_entries(dir, true, each);
}

Status LocalStorage::list_types(std::string_view dir, const std::function<Status(const ObjectInfo&)>& each) {
  return list_entries(dir, false, each);
}

Status LocalStorage::list_entries(std::string_view dir, bool stat_each, const std::function<Status(const ObjectInfo&)>& each) {
  if (!dir.empty()) CASBLOB_TRY(check_relative_path(dir));
  bool fresh = false;
  auto d = DirCache::dir_for_read(dir_cache_.get(), root_fd_, root_, dir, &fresh);
  if (!d) return d.error();
  // Entries are read from a description no other listing reads from, since reading entries
  // moves its offset: the one this call just opened, or else a new one of the cached
  // directory, whose descriptor every reader of the directory shares. (Opening files through
  // it does not move the offset.) An audit lists each run and step folder once: the second
  // description was an openat and a close per folder.
  Fd own;
  int listing = (*d)->get();
  if (!fresh) {
    own = Fd(::openat(listing, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (own.get() < 0) return detail::os_error("cannot list", root_ + "/" + std::string(dir), errno, Errc::io_error);
    listing = own.get();
  }
  // One ObjectInfo for the listing: its path keeps its buffer from entry to entry (a <kk>
  // folder of a big store has thousands).
  ObjectInfo info;
  auto entry = [&](const char* name, unsigned char d_type) -> Status {
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) return {};
    info.path.assign(dir);
    if (!dir.empty()) info.path += '/';
    info.path += name;
    // d_type is the entry's own type (a link is DT_LNK, as lstat tells); a filesystem that
    // does not fill it in (DT_UNKNOWN) gets the stat.
    if (!stat_each && d_type != DT_UNKNOWN) {
      info.type = d_type == DT_REG   ? ObjectInfo::Type::file
                  : d_type == DT_DIR ? ObjectInfo::Type::directory
                                     : ObjectInfo::Type::other;  // links, FIFOs, devices, sockets
      info.size = 0;
      info.mtime_ns = 0;
      info.stat_known = false;
    } else {
      struct stat st {};
      if (::fstatat(listing, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return {};  // gone meanwhile
      info.type = type_of(st.st_mode);
      info.size = static_cast<std::uint64_t>(st.st_size);
      info.mtime_ns = mtime_ns_of(st);
      info.stat_known = true;
    }
    return each(info);
  };
  // getdents64 into a buffer on the stack, as readdir does inside: without fdopendir's fstat,
  // two fcntl calls and 32 KiB allocation per folder (an audit lists every run and step
  // folder: issue 15).
  alignas(struct dirent64) char buf[32 * 1024];
  for (;;) {
    const ssize_t n = ::getdents64(listing, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return detail::os_error("cannot list", root_ + "/" + std::string(dir), errno, Errc::io_error);
    if (n == 0) return {};
    for (ssize_t off = 0; off < n;) {
      const auto* e = reinterpret_cast<const struct dirent64*>(buf + off);
      off += e->d_reclen;
      CASBLOB_TRY(entry(e->d_name, e->d_type));
    }
  }
}

Result<ObjectInfo> LocalStorage::stat(std::string_view path) {
  auto p = DirCache::parent_for_read(dir_cache_.get(), root_fd_, root_, path);
  if (!p) return p.error();
  struct stat st {};
  if (::fstatat(p->dir->get(), NameZ(p->name).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return detail::os_error("cannot stat", root_ + "/" + std::string(path), errno);
  return info_of(std::string(path), st);
}

Result<std::unique_ptr<Source>> LocalStorage::open(std::string_view path) {
  CASBLOB_TRY(check_relative_path(path));
  const auto [parent, name] = split_parent(path);
  const FileSource::ShownName shown{root_, path, {}};
  auto as_source = [](Result<FileSource> src) -> Result<std::unique_ptr<Source>> {
    if (!src) return src.error();
    return std::unique_ptr<Source>(std::make_unique<FileSource>(std::move(*src)));
  };
  // A file whose folder is not cached (a task index: the audit opens one or two per task
  // folder, and nothing else in it) is opened from the folder's nearest cached ancestor in one
  // openat2 call, instead of the folder being opened, cached and closed around it. What that
  // call cannot settle (no openat2 here, a link or a file on the way: ELOOP, ENOTDIR, EXDEV...)
  // takes the walk one component at a time, which tells which and why (R-SEC-5).
  std::shared_ptr<Fd> dir;
  if (dir_cache_ && !parent.empty()) {
    auto found = dir_cache_->find(parent);
    dir = std::move(found.exact);
    if (!dir) {
      const std::string_view rel = found.base ? path.substr(found.base_len + 1) : path;
      const int fd = open_file_beneath(found.base ? found.base->get() : root_fd_, NameZ(rel).c_str());
      const int err = errno;
      if (fd >= 0) return as_source(FileSource::adopt_opened(fd, shown));
      if (err == ENOENT) return detail::os_error("cannot open", shown.str(), err);
    }
  }
  if (!dir) {
    auto d = DirCache::dir_for_read(dir_cache_.get(), root_fd_, root_, parent);
    if (!d) return d.error();
    dir = std::move(*d);
  }
  return as_source(FileSource::open_at(dir->get(), NameZ(name).c_str(), shown, false));
}

Result<SidecarText> LocalStorage::read_sidecar(std::string_view blob_path) {
  auto p = DirCache::parent_for_read(dir_cache_.get(), root_fd_, root_, blob_path);
  if (!p) return p.error();
  return read_sidecar_beside(p->dir->get(), p->name, root_, blob_path);
}

// open() and read_sidecar() with one path check and one directory lookup, and the payload's
// mtime from the fstat its opening did anyway.
Result<Storage::OpenedBlob> LocalStorage::open_blob(std::string_view blob_path) {
  auto p = DirCache::parent_for_read(dir_cache_.get(), root_fd_, root_, blob_path);
  if (!p) return p.error();
  auto payload = FileSource::open_at(p->dir->get(), NameZ(p->name).c_str(), FileSource::ShownName{root_, blob_path, {}}, false);
  if (!payload) return payload.error();
  OpenedBlob out;
  out.mtime_ns = payload->mtime_ns();
  out.payload = std::make_unique<FileSource>(std::move(*payload));
  auto sidecar = read_sidecar_beside(p->dir->get(), p->name, root_, blob_path);
  if (!sidecar) return sidecar.error();
  out.sidecar = std::move(*sidecar);
  return out;
}

namespace {

class LocalPendingBlob final : public PendingBlob {
 public:
  LocalPendingBlob(AtomicFileSink tmp, int root_fd, std::string root)
      : tmp_(std::move(tmp)), root_fd_(root_fd), root_(std::move(root)) {}
  Status write(ByteView data) override { return tmp_.write(data); }

  Result<PutResult> commit(std::string_view blob_path, const std::optional<std::string>& sidecar,
                           PutMode mode) override {
    CASBLOB_TRY(check_relative_path(blob_path));
    auto [parent, name] = split_parent(blob_path);
    auto d = open_dir_beneath(root_fd_, root_, parent, true);
    if (!d) return d.error();
    const std::string shown = root_ + "/" + std::string(blob_path);
    // R-KEY-4: the payload first, durably; then the sidecar. Never a sidecar without payload.
    // R-KEY-7: with PutMode::if_absent the payload never replaces another writer's.
    auto placed = tmp_.commit_to(d->get(), std::string(name), shown, mode == PutMode::replace);
    if (!placed) return placed.error();
    if (!*placed) return PutResult{false};  // another writer's payload is there
    if (sidecar) CASBLOB_TRY(write_sidecar_in(d->get(), std::string(name), shown, *sidecar));
    return PutResult{true};
  }

  static Status write_sidecar_in(int dir_fd, const std::string& name, const std::string& shown,
                                 const std::string& text) {
    auto meta = AtomicFileSink::create_in(dir_fd, name + "_meta", shown + "_meta");
    if (!meta) return meta.error();
    CASBLOB_TRY(meta->write(as_bytes(text)));
    return meta->commit();
  }

 private:
  AtomicFileSink tmp_;
  int root_fd_;
  std::string root_;
};

}  // namespace

Result<std::unique_ptr<PendingBlob>> LocalStorage::begin_blob(std::string_view dir) {
  if (opts_.read_only) return read_only_error("cannot write a blob");
  CASBLOB_TRY(check_relative_path(dir));
  auto d = open_dir_beneath(root_fd_, root_, dir, true);
  if (!d) return d.error();
  auto tmp = AtomicFileSink::create_in(d->get(), "put", root_ + "/" + std::string(dir) + "/.put");
  if (!tmp) return tmp.error();
  return std::unique_ptr<PendingBlob>(std::make_unique<LocalPendingBlob>(std::move(*tmp), root_fd_, root_));
}

Status LocalStorage::write_sidecar(std::string_view blob_path, const std::string& sidecar) {
  if (opts_.read_only) return read_only_error("cannot write a sidecar");
  CASBLOB_TRY(check_relative_path(blob_path));
  auto [parent, name] = split_parent(blob_path);
  auto d = open_dir_beneath(root_fd_, root_, parent, false);
  if (!d) return d.error();
  return LocalPendingBlob::write_sidecar_in(d->get(), std::string(name), root_ + "/" + std::string(blob_path), sidecar);
}

Status LocalStorage::move_to_quarantine(std::string_view path, const std::string& dest_dir, std::string_view dest_rel) {
  if (opts_.read_only) return read_only_error("cannot move an object to a quarantine");
  CASBLOB_TRY(check_relative_path(path));
  CASBLOB_TRY(check_relative_path(dest_rel));
  if (dest_dir.empty() || dest_dir[0] != '/') return Error(Errc::usage, "the quarantine folder must be an absolute path: " + dest_dir);
  // The quarantine is outside every CAS prefix: inside the root only beneath a name that is no
  // flow name (".casblob-quarantine"), so nothing moved there is ever read as a blob again.
  Fd top(::open(dest_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (top.get() < 0 && errno == ENOENT) {
    if (::mkdir(dest_dir.c_str(), 0777) != 0 && errno != EEXIST) return detail::os_error("cannot create", dest_dir, errno, Errc::io_error);
    top = Fd(::open(dest_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  if (top.get() < 0) return detail::os_error("cannot open the quarantine folder", dest_dir, errno, Errc::io_error);
  if (char* real = ::realpath(dest_dir.c_str(), nullptr)) {
    std::string r(real);
    std::free(real);
    if (r.size() > root_.size() && r.compare(0, root_.size() + 1, root_ + "/") == 0) {
      std::string first = r.substr(root_.size() + 1);
      first = first.substr(0, first.find('/'));
      if (check_flow_name(first).ok())
        return Error(Errc::usage, "the quarantine folder " + dest_dir + " is inside the flow " + first + " of the store");
    } else if (r == root_) {
      return Error(Errc::usage, "the quarantine folder is the datastore root itself");
    }
  }
  auto [src_parent, src_name] = split_parent(path);
  auto [dst_parent, dst_name] = split_parent(dest_rel);
  auto src = open_dir_beneath(root_fd_, root_, src_parent, false);
  if (!src) return src.error();
  auto dst = open_dir_beneath(top.get(), dest_dir, dst_parent, true);
  if (!dst) return dst.error();
  const std::string shown = dest_dir + "/" + std::string(dest_rel);
  struct stat a {}, b {};
  if (::fstat(src->get(), &a) == 0 && ::fstat(dst->get(), &b) == 0 && a.st_dev != b.st_dev)
    return Error(Errc::usage, "the quarantine folder " + dest_dir + " is on another filesystem than the store: a move, never a copy and delete");
  auto moved = detail::rename_noreplace(src->get(), std::string(src_name), dst->get(), std::string(dst_name), shown);
  if (!moved) return moved.error();
  if (!*moved) return Error(Errc::io_error, shown + " is already in the quarantine: nothing moved");
  detail::failpoint(detail::FailOp::rename);
  if (::fsync(dst->get()) != 0 && errno != EINVAL) return detail::os_error("cannot fsync", shown, errno, Errc::io_error);
  if (::fsync(src->get()) != 0 && errno != EINVAL) return detail::os_error("cannot fsync the folder of", root_ + "/" + std::string(path), errno, Errc::io_error);
  return {};
}

}  // namespace casblob
