// The JSON-lines journal of a migrate or repair run: one object per line, appended with one
// write(2) each (a crash tears at most the last line, which a reader ignores). A "begin" line
// names the command, the root and the target; a "blob" line per blob once it is done with (a
// blob a crash interrupted has none, and is examined again), an "end" line with the counts. Correctness never rests on it: every rewrite is proven by the key, so a lost tail
// only means re-examining blobs. `--resume` skips the blobs it records as done.
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "casblob/error.hpp"

namespace casblob::rewrite {

class Journal {
 public:
  // Creates `path` (an existing file is a usage error unless `resume`: then lines are appended).
  static Result<std::unique_ptr<Journal>> open(const std::string& path, bool resume);
  ~Journal();
  Status append(const std::string& json_line);  // one line, without its newline; thread-safe
  Status close();                               // fsync, then close
  const std::string& path() const { return path_; }

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
  std::mutex mu_;
  Status status_;
};

struct JournalState {
  std::string command, root, target;  // from the first "begin" line
  bool applied = false;               // some "begin" line had apply true
  std::set<std::string> done;         // paths of blobs whose line says rewritten or in_target, applied
  std::size_t lines = 0, torn = 0;
};
// not_found when absent; a line that is not a JSON object (a torn last line) is counted, not fatal.
Result<JournalState> read_journal(const std::string& path);

}  // namespace casblob::rewrite
