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

std::string rewrite_exit_codes_markdown() {
  std::ostringstream md;
  md << "| code | meaning |\n|---|---|\n";
  for (const auto& e : rewrite::exit_table()) md << "| " << static_cast<int>(e.code) << " | " << e.meaning << " |\n";
  return md.str();
}

}  // namespace casblob::cli
