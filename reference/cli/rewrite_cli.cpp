#include "rewrite_cli.hpp"

#include <iostream>
#include <sstream>

#include "output.hpp"
#include "rewrite/exit_codes.hpp"

namespace casblob::cli {

int rewrite_fail(const Error& e) {
  using rewrite::Exit;
  std::cerr << "casblob: " << e.label() << ": " << printable(e.message) << "\n";
  if (e.code == Errc::usage) return static_cast<int>(Exit::usage);
  if (e.code == Errc::not_found) return static_cast<int>(Exit::not_a_store);
  return static_cast<int>(Exit::incomplete);
}

Result<std::unique_ptr<Storage>> open_rewrite_root(const std::string& root, StorageOptions so, bool apply) {
  so.read_only = !apply;
  auto storage = open_storage(root, so);
  if (!storage)
    return Error(storage.error().code == Errc::usage ? Errc::usage : Errc::not_found,
                 "not a Metaflow datastore: " + storage.error().message);
  return storage;
}

int finish_rewrite(const std::optional<std::string>& json, const std::string& json_text, const std::string& text,
                   bool quiet, bool interrupted, bool complete, bool left) {
  using rewrite::Exit;
  if (json) {
    if (Status s = write_report_file(*json, json_text); !s.ok()) return fail(s.error());
  }
  if (!quiet) (json == "-" ? std::cerr : std::cout) << text;
  const Exit e = interrupted ? Exit::interrupted : !complete ? Exit::incomplete : left ? Exit::left : Exit::done;
  return static_cast<int>(e);
}

std::string rewrite_exit_codes_markdown() {
  std::ostringstream md;
  md << "| code | meaning |\n|---|---|\n";
  for (const auto& e : rewrite::exit_table()) md << "| " << static_cast<int>(e.code) << " | " << e.meaning << " |\n";
  return md.str();
}

}  // namespace casblob::cli
