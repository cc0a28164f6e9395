// Option values shared by the subcommands, taken from the library's own tables.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "casblob/casblob.hpp"

namespace casblob::cli {

// The names of every reader profile (profile.hpp), for --profile.
std::vector<std::string> profile_names();

// "--profile" on `cmd`, stored in `target` (a profile name, default "strict").
CLI::Option* add_profile_option(CLI::App* cmd, std::string& target);

// --endpoint-url (and --jobs when `jobs`) for a command that takes a datastore root: used by
// object-store roots (s3://, spec 4.2.2), ignored by local ones.
void add_storage_options(CLI::App* cmd, StorageOptions& target, bool jobs);

// A byte count: decimal digits only, within 64 bits. "-1" or 2^64 are usage errors, never "no
// limit" (F15).
Result<std::uint64_t> parse_size(const std::string& text, const std::string& option);

}  // namespace casblob::cli
