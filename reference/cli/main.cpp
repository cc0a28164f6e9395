// casblob: encode, decode, inspect and store Metaflow CAS blobs (README "CLI").
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "casblob/error.hpp"
#include "casblob/profile.hpp"
#include "casblob/version.hpp"
#include "commands.hpp"
#include "io_targets.hpp"
#include "output.hpp"
#include "signals.hpp"

namespace {

using nlohmann::ordered_json;

// `casblob --list-errors [--json]`: the contract tables of error.hpp (R-ERR-1, R-ERR-2), which
// the repository's contract check compares with spec 9, the README and the Python driver.
void print_errors(bool json) {
  if (json) {
    ordered_json errors = ordered_json::array();
    for (const auto& e : casblob::error_table()) {
      ordered_json row{{"name", e.name}, {"exit_code", e.exit_code}};
      if (e.has_details) {
        row["details"] = ordered_json::array();
        for (const auto& d : casblob::detail_table()) row["details"].push_back(d.name);
      }
      row["meaning"] = e.meaning;
      errors.push_back(std::move(row));
    }
    ordered_json codes = ordered_json::array();
    for (const auto& c : casblob::exit_code_table()) {
      ordered_json row{{"code", c.code}};
      if (!c.name.empty()) row["name"] = c.name;
      row["meaning"] = c.meaning;
      codes.push_back(std::move(row));
    }
    std::cout << ordered_json{{"errors", errors}, {"exit_codes", codes}}.dump() << "\n";
    return;
  }
  std::cout << std::left << std::setw(6) << "exit" << std::setw(21) << "error" << "meaning\n";
  for (const auto& c : casblob::exit_code_table())
    std::cout << std::setw(6) << c.code << std::setw(21) << c.name << c.meaning << "\n";
  for (const auto& e : casblob::error_table()) {
    if (!e.has_details) continue;
    std::cout << "\ndetails of " << e.name << ":\n";
    for (const auto& d : casblob::detail_table())
      std::cout << "  " << std::setw(15) << d.name << d.meaning << "\n";
  }
}

// `casblob --list-profiles [--json]`: the profile table of profile.hpp (spec 7).
void print_profiles(bool json) {
  if (json) {
    ordered_json profiles = ordered_json::array();
    for (const auto& p : casblob::profile_table())
      profiles.push_back({{"name", p.name}, {"models", p.models}, {"promise", p.promise}});
    std::cout << ordered_json{{"profiles", profiles}}.dump() << "\n";
    return;
  }
  std::size_t width = 0;
  for (const auto& p : casblob::profile_table()) width = std::max(width, p.name.size());
  for (const auto& p : casblob::profile_table())
    std::cout << std::left << std::setw(static_cast<int>(width + 2)) << p.name << p.models << "\n"
              << std::setw(static_cast<int>(width + 2)) << "" << "promise: " << p.promise << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  casblob::cli::install_cleanup_handlers();
  CLI::App app{"casblob: reference reader/writer for Metaflow content-addressed store blobs"};
  app.set_version_flag("--version", std::string("casblob ") + casblob::kVersion);
  bool list_errors = false, list_profiles = false, json = false;
  auto* errors_flag = app.add_flag("--list-errors", list_errors,
                                   "Print every error name, corrupt detail and exit code, then exit");
  auto* profiles_flag = app.add_flag("--list-profiles", list_profiles, "Print every reader profile, then exit");
  errors_flag->excludes(profiles_flag);
  app.add_flag("--json", json, "With --list-errors or --list-profiles: print one JSON object");
  app.require_subcommand(0, 1);
  // Runs after parsing, before any subcommand's callback: a listing never runs a subcommand.
  app.parse_complete_callback([&] {
    const bool listing = list_errors || list_profiles;
    const bool sub = !app.get_subcommands().empty();
    if (listing && sub) throw CLI::ValidationError("--list-errors / --list-profiles take no subcommand");
    if (json && !listing) throw CLI::ValidationError("--json before a subcommand needs --list-errors or --list-profiles");
    if (!listing && !sub) throw CLI::RequiredError("A subcommand");
  });
  int exit = 0;
  casblob::cli::add_encode(app, exit);
  casblob::cli::add_decode(app, exit);
  casblob::cli::add_batch(app, exit);
  casblob::cli::add_inspect(app, exit);
  casblob::cli::add_put(app, exit);
  casblob::cli::add_get(app, exit);
  casblob::cli::add_census(app, exit);
  casblob::cli::add_audit(app, exit);
  casblob::cli::add_doctor(app, exit);
  casblob::cli::add_audit_merge(app, exit);
  casblob::cli::add_migrate(app, exit);
  casblob::cli::add_repair(app, exit);
  const int usage = casblob::exit_code(casblob::Errc::usage);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : usage;
  } catch (const std::exception& e) {
    std::cerr << "casblob: internal error: " << e.what() << "\n";
    return casblob::kExitInternalError;
  }
  if (list_errors) print_errors(json);
  if (list_profiles) print_profiles(json);
  // Text and JSON on stdout that could not be written are a failure (F4), not a success.
  if (casblob::Status s = casblob::cli::flush_stdout(); !s.ok() && exit == 0) return casblob::cli::fail(s.error());
  return exit;
}
