#include "options.hpp"

namespace casblob::cli {

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& p : profile_table()) names.emplace_back(p.name);
  return names;
}

CLI::Option* add_profile_option(CLI::App* cmd, std::string& target) {
  std::string help;
  for (const auto& n : profile_names()) help += (help.empty() ? "" : " | ") + n;
  return cmd->add_option("--profile", target, help + " (default strict)")->check(CLI::IsMember(profile_names()));
}

void add_storage_options(CLI::App* cmd, StorageOptions& target, bool jobs) {
  cmd->add_option("--endpoint-url", target.endpoint_url,
                  "s3:// roots: an S3-compatible endpoint (beats METAFLOW_S3_ENDPOINT_URL and AWS_ENDPOINT_URL_S3)");
  if (jobs)
    // At most 64: each worker may hold temporary files the signal handler must know of.
    cmd->add_option("--jobs", target.jobs, "Work items at once (put: files), and s3:// connections kept open (default: 1; s3://: 8 connections)")
        ->check(CLI::Range(1u, 64u));
}

Result<std::uint64_t> parse_size(const std::string& text, const std::string& option) {
  auto bad = [&] { return Error(Errc::usage, option + " must be a number of bytes from 0 to 2^64-1, not '" + text + "'"); };
  if (text.empty() || text.size() > 20) return bad();
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad();
    std::uint64_t d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return bad();
    v = v * 10 + d;
  }
  return v;
}

}  // namespace casblob::cli
