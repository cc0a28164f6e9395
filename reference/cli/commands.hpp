// Each subcommand registers itself on the app and reports its exit status through `exit`.
#pragma once

#include <CLI/CLI.hpp>

namespace casblob::cli {

void add_encode(CLI::App& app, int& exit);
void add_decode(CLI::App& app, int& exit);
void add_batch(CLI::App& app, int& exit);
void add_inspect(CLI::App& app, int& exit);
void add_put(CLI::App& app, int& exit);
void add_get(CLI::App& app, int& exit);
void add_census(CLI::App& app, int& exit);
void add_audit(CLI::App& app, int& exit);
void add_doctor(CLI::App& app, int& exit);
void add_audit_merge(CLI::App& app, int& exit);
void add_migrate(CLI::App& app, int& exit);
void add_repair(CLI::App& app, int& exit);

}  // namespace casblob::cli
