// Byte streams. Every codec is push-based and streaming: input arrives in chunks of any size,
// output leaves through a Sink, and memory stays bounded whatever the blob size (spec 10.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
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
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status write(ByteView data) = 0;
};

class MemorySource final : public Source {
 public:
  explicit MemorySource(ByteView data) : data_(data) {}
  Result<std::size_t> read(std::span<std::uint8_t> buf) override;

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

// Discards output (inspect, census): keeps only the count.
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

// Reads a file (or standard input for "-") through a file descriptor.
class FileSource final : public Source {
 public:
  static Result<FileSource> open(const std::string& path);
  FileSource(FileSource&&) noexcept;
  FileSource& operator=(FileSource&&) = delete;
  ~FileSource() override;
  Result<std::size_t> read(std::span<std::uint8_t> buf) override;
  // Size when the source is a regular file (lz4 content size, progress), else -1.
  std::int64_t size_hint() const { return size_hint_; }

 private:
  FileSource(int fd, bool owned, std::int64_t size) : fd_(fd), owned_(owned), size_hint_(size) {}
  int fd_ = -1;
  bool owned_ = false;
  std::int64_t size_hint_ = -1;
};

// Writes to "<path>.tmp-XXXXXX" beside the target and renames into place only on commit():
// a failed or abandoned write never leaves a partial file (spec 10.6). "-" writes to stdout
// directly (the caller decides whether it may stream unverified bytes there).
class AtomicFileSink final : public Sink {
 public:
  static Result<AtomicFileSink> create(const std::string& path);
  AtomicFileSink(AtomicFileSink&&) noexcept;
  AtomicFileSink& operator=(AtomicFileSink&&) = delete;
  ~AtomicFileSink() override;  // removes the temporary file unless committed
  Status write(ByteView data) override;
  Status commit();
  // Renames into another path of the same filesystem instead (the store learns the key,
  // hence the final name, only after the last byte).
  Status commit_as(const std::string& path);

 private:
  AtomicFileSink() = default;
  int fd_ = -1;
  std::string path_, tmp_path_;
  bool committed_ = false;
  bool is_stdout_ = false;
};

// Reads a whole (small) file: sidecars, test inputs. Errors: not_found, io_error.
Result<Bytes> read_file(const std::string& path);

// Pumps src to a consumer in chunks of `chunk` bytes (default 1 MiB).
inline constexpr std::size_t kDefaultChunk = std::size_t{1} << 20;

}  // namespace casblob
