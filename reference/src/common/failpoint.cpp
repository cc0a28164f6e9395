#include "common/failpoint.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace casblob::detail {
namespace {

struct Plan {
  bool armed = false;
  FailOp op = FailOp::write;
  long n = 0;
};

Plan parse() {
  Plan p;
  const char* env = std::getenv("CASBLOB_FAILPOINT");
  if (!env) return p;
  std::string_view v(env);
  auto colon = v.find(':');
  if (colon == std::string_view::npos) return p;
  std::string_view op = v.substr(0, colon);
  if (op == "write") p.op = FailOp::write;
  else if (op == "fsync") p.op = FailOp::fsync;
  else if (op == "rename") p.op = FailOp::rename;
  else return p;
  p.n = std::strtol(env + colon + 1, nullptr, 10);
  p.armed = p.n > 0;
  return p;
}

std::atomic<long> g_count{0};

}  // namespace

void failpoint(FailOp op) noexcept {
  static const Plan plan = parse();
  if (!plan.armed || op != plan.op) return;
  if (g_count.fetch_add(1) + 1 == plan.n) {
    static const char msg[] = "casblob: CASBLOB_FAILPOINT reached, killing the process\n";
    (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::raise(SIGKILL);
  }
}

}  // namespace casblob::detail
