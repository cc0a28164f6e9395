#include "signals.hpp"

#include <signal.h>

#include "casblob/io.hpp"

namespace casblob::cli {
namespace {

extern "C" void on_fatal_signal(int sig) {
  casblob::remove_pending_temporaries();  // async-signal-safe
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

void install_cleanup_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace casblob::cli
