// Names that become paths (spec 3.2, 10.3): checked before any path is built from them.
#include "casblob/store.hpp"

namespace casblob {

// R-SEC-4.
Status check_flow_name(std::string_view flow) {
  auto bad = [&](const std::string& why) {
    return Error(Errc::usage, "flow name must be a Python identifier ([A-Za-z_][A-Za-z0-9_]*): " + why);
  };
  if (flow.empty()) return bad("it is empty");
  if (flow.size() > 255) return bad("it is longer than 255 bytes");
  for (std::size_t i = 0; i < flow.size(); ++i) {
    const char c = flow[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0))
      return bad(std::string("it has ") +
                 (c >= 0x20 && c < 0x7f ? std::string("'") + c + "'" : "byte " + std::to_string(static_cast<unsigned char>(c))) +
                 " at position " + std::to_string(i));
  }
  return {};
}

std::string cas_prefix(std::string_view flow) { return std::string(flow) + "/data"; }  // R-KEY-3

Status check_relative_path(std::string_view path) {
  if (path.empty()) return Error(Errc::usage, "empty object path");
  if (path.front() == '/') return Error(Errc::usage, "object path is absolute: " + std::string(path));
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg.empty() || seg == "." || seg == "..")
      return Error(Errc::usage, "object path has an empty, '.' or '..' segment: " + std::string(path));
    if (seg.find('\0') != std::string_view::npos) return Error(Errc::usage, "object path holds a NUL byte");
    i = j + 1;
  }
  return {};
}

}  // namespace casblob
