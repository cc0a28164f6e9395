// What casblob migrate and repair share on the command line: the error line and its exit code
// (reference/tools/rewrite/exit_codes.hpp), the exit-code table as Markdown.
#pragma once

#include <string>

#include "casblob/error.hpp"

namespace casblob::cli {

// Prints "casblob: <error>: <message>" and returns the rewrite exit code for it.
int rewrite_fail(const Error& e);
std::string rewrite_exit_codes_markdown();

}  // namespace casblob::cli
