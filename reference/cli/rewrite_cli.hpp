// What casblob migrate and repair share on the command line: the error line and its exit code
// (reference/tools/rewrite/exit_codes.hpp), the exit-code table as Markdown.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "casblob/store.hpp"

namespace casblob::cli {

// Prints "casblob: <error>: <message>" and returns the rewrite exit code for it.
int rewrite_fail(const Error& e);
std::string rewrite_exit_codes_markdown();

// ROOT for a rewrite: read-only unless `apply` (a dry run cannot write into ROOT); a root that
// cannot be opened is not_found ("not a Metaflow datastore"), bad options stay usage.
Result<std::unique_ptr<Storage>> open_rewrite_root(const std::string& root, StorageOptions so, bool apply);

// The report of a run: its JSON to `json` when asked (- = stdout), its text on stdout (stderr
// when the JSON took stdout) unless `quiet`; then the exit code of the run's state.
int finish_rewrite(const std::optional<std::string>& json, const std::string& json_text, const std::string& text,
                   bool quiet, bool interrupted, bool complete, bool left);

}  // namespace casblob::cli
