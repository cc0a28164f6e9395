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
