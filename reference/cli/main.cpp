// casblob: encode, decode, inspect and store Metaflow CAS blobs (README "CLI").
#include <iostream>

#include "casblob/error.hpp"
#include "casblob/version.hpp"
#include "commands.hpp"
#include "io_targets.hpp"
#include "output.hpp"
#include "signals.hpp"

int main(int argc, char** argv) {
  casblob::cli::install_cleanup_handlers();
  CLI::App app{"casblob: reference reader/writer for Metaflow content-addressed store blobs"};
  app.set_version_flag("--version", std::string("casblob ") + casblob::kVersion);
  app.require_subcommand(1);
  int exit = 0;
  casblob::cli::add_encode(app, exit);
  casblob::cli::add_decode(app, exit);
  casblob::cli::add_batch(app, exit);
  casblob::cli::add_inspect(app, exit);
  casblob::cli::add_put(app, exit);
  casblob::cli::add_get(app, exit);
  casblob::cli::add_census(app, exit);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : casblob::exit_code(casblob::Errc::usage);
  } catch (const std::exception& e) {
    std::cerr << "casblob: internal error: " << e.what() << "\n";
    return 1;
  }
  // Text and JSON on stdout that could not be written are a failure (F4), not a success.
  if (casblob::Status s = casblob::cli::flush_stdout(); !s.ok() && exit == 0) return casblob::cli::fail(s.error());
  return exit;
}
