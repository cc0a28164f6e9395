// Byte streams. Every codec is push-based and streaming: input arrives in chunks of any size,
// output leaves through a Sink, and memory stays bounded whatever the blob size (spec 10.1).
// The library never touches standard input or output: callers (the CLI) wrap them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "casblob/error.hpp"

namespace casblob {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class Source {
 public:
  virtual ~Source() = default;
  // Fills up to buf.size() bytes; returns the count, 0 only at end of input.
  virtual Result<std::size_t> read(std::span<std::uint8_t> buf) = 0;
  // The total length when known in advance (a regular file, an HTTP Content-Length): lz4
  // content size, buffer sizing, progress. Only a hint: readers never trust it.
  virtual std::optional<std::uint64_t> size_hint() const { return std::nullopt; }
};

class DirectSink;  // experimental/direct_sink.hpp

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status write(ByteView data) = 0;
  // This sink as a DirectSink (one that lends its memory to the decoders), or nullptr. A
  // virtual call: the dynamic_cast it replaces compared type names with strcmp, three times
  // per decode (6% of a 234-byte lz4 load, issue 19).
  virtual DirectSink* as_direct_sink() noexcept { return nullptr; }
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(ByteView data) : data_(data) {}
  Result<std::size_t> read(std::span<std::uint8_t> buf) override;
  std::optional<std::uint64_t> size_hint() const override { return data_.size(); }

 private:
  ByteView data_;
  std::size_t pos_ = 0;
};

class MemorySink final : public Sink {
 public:
  Status write(ByteView data) override;
  Bytes& bytes() { return bytes_; }

 private:
  Bytes bytes_;
};

// Discards output (inspect, census, audit): keeps only the count.
class NullSink final : public Sink {
 public:
  Status write(ByteView data) override {
    count_ += data.size();
    return {};
  }
  std::uint64_t count() const { return count_; }

 private:
  std::uint64_t count_ = 0;
};

// Counts the bytes passing through to `next` (stored sizes).
class CountingSink final : public Sink {
 public:
  explicit CountingSink(Sink& next) : next_(next) {}
  Status write(ByteView data) override {
    count_ += data.size();
    return next_.write(data);
  }
  std::uint64_t count() const { return count_; }

 private:
  Sink& next_;
  std::uint64_t count_ = 0;
};

// Reads a regular file through a file descriptor. The file is opened non-blocking and must be
// a regular file: a FIFO, device, socket or directory is refused with io_error before any read,
// so a hostile path can neither hang the reader nor feed it endless bytes (spec 10.7).
class FileSource final : public Source {
 public:
  // not_found when absent. Follows symbolic links (a path the user named).
  static Result<FileSource> open(const std::string& path);
  // `name` inside the directory `dir_fd` (openat); `follow` false refuses a symbolic link
  // (io_error), as datastores do (spec 10.3). `shown_as` names the file in messages.
  static Result<FileSource> open_at(int dir_fd, const std::string& name, const std::string& shown_as, bool follow);
  // How a file is named in messages, spelled only when a message needs one: a datastore opens
  // two files per blob, and spelling "<root>/<path>_meta" for each was an allocation per file
  // on the audit's path. `base`, then "/" + `rel` when `rel` is not empty, then `suffix`.
  struct ShownName {
    std::string_view base, rel, suffix;
    std::string str() const;
  };
  // The same as the overload above, for a NUL-terminated `name`.
  static Result<FileSource> open_at(int dir_fd, const char* name, const ShownName& shown, bool follow);
  // Takes a descriptor the caller already has (the CLI's standard input). `owned`: closed by
  // the destructor. No type check: the caller chose it.
  static FileSource adopt(int fd, bool owned);
  // Takes a descriptor the caller has just opened for reading, with O_NONBLOCK (a datastore's
  // own way of resolving a path, openat2), and checks it as open_at does: a regular file or
  // io_error (R-SEC-6). Closed by the destructor, or at once on error.
  static Result<FileSource> adopt_opened(int fd, const ShownName& shown);
  FileSource(FileSource&&) noexcept;
  FileSource& operator=(FileSource&&) = delete;
  ~FileSource() override;
  Result<std::size_t> read(std::span<std::uint8_t> buf) override;
  std::optional<std::uint64_t> size_hint() const override { return size_; }
  std::int64_t mtime_ns() const { return mtime_ns_; }

 private:
  FileSource(int fd, bool owned) : fd_(fd), owned_(owned) {}
  int fd_ = -1;
  bool owned_ = false;
  std::optional<std::uint64_t> size_;
  std::int64_t mtime_ns_ = 0;
  std::uint64_t pos_ = 0;    // bytes read so far
  bool at_end_ = false;      // a short read ended at the size fstat gave: see read()
};

// How far a committed file survives: `process` (rename only: atomic against a crash of this
// process) or `machine` (file fsync before the rename, directory fsync after: atomic and
// durable against a power loss, R-KEY-4 and spec 10.6). Store writes always use `machine`.
enum class Durability { process, machine };

// Writes to a temporary file beside the target and renames it into place only on commit: a
// failed or abandoned write never leaves a partial file at the target (spec 10.6). The
// temporary name is ".<name>.casblob-tmp-XXXXXX" in the target's directory, recognisable by
// audit and repair (finding tempLeftover); signal handlers can remove it
// (remove_pending_temporaries). The file gets mode 0666 minus the process umask, like open(2).
class AtomicFileSink final : public Sink {
 public:
  // The target's directory is opened once (following symbolic links: a path the user named);
  // io_error (never not_found) when it does not exist.
  static Result<AtomicFileSink> create(const std::string& path, Durability d = Durability::machine);
  // `name` inside the directory `dir_fd` (the descriptor is duplicated, the caller keeps its
  // own). `shown_as` names the target in messages.
  static Result<AtomicFileSink> create_in(int dir_fd, const std::string& name, const std::string& shown_as,
                                          Durability d = Durability::machine);
  AtomicFileSink(AtomicFileSink&&) noexcept;
  AtomicFileSink& operator=(AtomicFileSink&&) = delete;
  ~AtomicFileSink() override;  // removes the temporary file unless committed
  Status write(ByteView data) override;

  // Renames over the target (replacing a file there).
  Status commit();
  // Renames into `name` in the directory `dir_fd` instead, on the same filesystem (the store
  // learns the key, hence the final name, only after the last byte). `replace` false never
  // replaces a file there (renameat2 RENAME_NOREPLACE, or link + unlink where the filesystem
  // lacks it): the result is then `false` and the sink stays uncommitted, so the caller may
  // still commit it elsewhere or with `replace`.
  Result<bool> commit_to(int dir_fd, const std::string& name, const std::string& shown_as, bool replace);

 private:
  AtomicFileSink() = default;
  Status sync_for_commit();
  void forget_temp();
  int fd_ = -1, dir_fd_ = -1;
  std::string name_, shown_as_, tmp_name_;
  Durability durability_ = Durability::machine;
  bool synced_ = false, committed_ = false;
};

// The marker in the names of casblob's temporary files (AtomicFileSink).
inline constexpr std::string_view kTempMarker = ".casblob-tmp-";

// Removes every temporary file of a not yet committed AtomicFileSink of this process. Only
// async-signal-safe calls: for a program's SIGINT/SIGTERM/SIGHUP/SIGPIPE handler, which then
// re-raises the signal (the library installs no handlers).
void remove_pending_temporaries() noexcept;


// Reads a whole regular file of at most `max_bytes` (sidecars, task indexes): io_error when
// longer, not_found when absent.
Result<Bytes> read_file(const std::string& path, std::uint64_t max_bytes);

// The read size of streaming loops (decode, encode): large enough to amortise a system call,
// small enough to stay in cache.
inline constexpr std::size_t kDefaultChunk = std::size_t{256} << 10;

}  // namespace casblob
