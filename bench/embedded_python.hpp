// Python's own path (bench/pybench.py: Metaflow's pack/unpack bodies + hashlib) as variants of
// casblob_bench's round-robin, timed by the same clock in the same rounds as casblob and the
// ceiling (issue 19: "casblob >= Python on every row" is a ratio, and a ratio of numbers taken
// minutes apart on this VM moved by up to 30%: the same Python save of text_1m measured 66 and
// 87 MB/s in two runs a minute apart). Without libpython at build time, available() is false
// and bench/run times Python in its own process, as before.
#pragma once

#include <functional>
#include <string>

#include "casblob/io.hpp"

namespace bench {

class EmbeddedPython {
 public:
  // Starts the interpreter and imports pybench from `bench_dir`. On failure, why_not() says why.
  explicit EmbeddedPython(const std::string& bench_dir);
  ~EmbeddedPython();
  EmbeddedPython(const EmbeddedPython&) = delete;
  EmbeddedPython& operator=(const EmbeddedPython&) = delete;

  static bool compiled_in() noexcept;
  bool ok() const noexcept { return ok_; }
  const std::string& why_not() const noexcept { return why_not_; }

  // One call of pybench.save(encoding, content) / pybench.load(encoding, stored, key); the
  // arguments are converted to Python objects once, here, not per call. A Python exception in
  // a call ends the program (the bench's die()), with the traceback on stderr.
  std::function<void()> save(const std::string& encoding, casblob::ByteView content);
  std::function<void()> load(const std::string& encoding, casblob::ByteView stored, const std::string& key);

 private:
  bool ok_ = false;
  std::string why_not_;
  void* module_ = nullptr;  // PyObject*: pybench
};

}  // namespace bench
