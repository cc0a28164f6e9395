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

std::atomic<bool>* g_stop = nullptr;

extern "C" void on_stop_signal(int sig) {
  if (g_stop->exchange(true)) {
    casblob::remove_pending_temporaries();
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
}

}  // namespace

void install_stop_handlers(std::atomic<bool>& stop) {
  stop = false;
  g_stop = &stop;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM}) ::sigaction(sig, &sa, nullptr);
}

void install_cleanup_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND;
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace casblob::cli
