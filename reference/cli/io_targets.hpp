// Where the CLI reads from and writes to. The library never sees "-": the CLI maps it to its
// own standard input and output here, and owns the one rule for decoded bytes (R-READ-6, spec
// 10.6; R-SEC-7 for failed writes): a file output is written atomically and appears only on success; standard output gets
// bytes the reader has verified (strict: spooled, then copied after the key check), or, for a
// modelled profile, the bytes as that reader hands them out.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "casblob/casblob.hpp"

namespace casblob::cli {

// "-" is standard input; anything else a regular file (FileSource: FIFOs and devices refused).
Result<std::unique_ptr<Source>> open_input(const std::string& path);

// Writes to standard output through write(2), every error reported (F4: a full disk or a closed
// pipe is io_error, never a silent exit 0).
class StdoutSink final : public Sink {
 public:
  Status write(ByteView data) override;
};

// Flushes std::cout and reports a failure of any earlier write to it (text and JSON output).
Status flush_stdout();

// An output path that names an existing character device or FIFO (/dev/null, /dev/stdout, a
// named pipe): written through, never replaced. An atomic write renames a temporary file over
// its target, which would put a regular file where /dev/null was (it did, run as root).
bool is_device_output(const std::string& path);

// Writes to an opened device or FIFO (is_device_output), every error reported.
class DeviceSink final : public Sink {
 public:
  static Result<DeviceSink> open(const std::string& path);
  DeviceSink(DeviceSink&&) noexcept;
  ~DeviceSink() override;
  Status write(ByteView data) override;

 private:
  DeviceSink(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

class OutputTarget {
 public:
  // `path` "-": standard output; an existing device or FIFO: written through (is_device_output).
  // `verify_first`: bytes are unverified until commit() (strict), so standard output or the
  // device gets them only then. A file is created on the first byte or on commit,
  // not before: a read that fails early leaves nothing, not even a temporary file.
  // `durability`: of a file output (reports need not survive a machine crash: Durability::process).
  static OutputTarget make(std::string path, bool verify_first, Durability durability = Durability::machine);
  OutputTarget(OutputTarget&&) noexcept;
  ~OutputTarget();  // uncommitted output is discarded
  Sink& sink();
  Status commit();

 private:
  struct Impl;
  explicit OutputTarget(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Strict's spool keeps up to this much in memory, the rest in an anonymous file in $TMPDIR.
inline constexpr std::size_t kSpoolMemoryBytes = std::size_t{64} << 20;

}  // namespace casblob::cli
