#include "casblob/meta.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>

#include "sidecar/json_scan.hpp"

namespace casblob {

std::string_view name(JsonType t) noexcept {
  switch (t) {
    case JsonType::null: return "null";
    case JsonType::boolean: return "boolean";
    case JsonType::integer: return "integer";
    case JsonType::real: return "real";
    case JsonType::string: return "string";
    case JsonType::array: return "array";
    case JsonType::object: return "object";
  }
  return "unknown";
}

// Python's bool(value) for what json.loads returns (spec 4.3, hazard H-RAW-TRUTHY).
bool JsonValue::python_truthy() const {
  switch (type) {
    case JsonType::null: return false;
    case JsonType::boolean: return boolean;
    case JsonType::integer: return integer_text.find_first_not_of("-0") != std::string::npos;
    case JsonType::real: return real != 0.0;  // NaN is truthy, as in Python
    case JsonType::string: return !string.empty();
    case JsonType::array:
    case JsonType::object: return length != 0;
  }
  return false;
}

const JsonValue* MetaDoc::get(std::string_view key) const {
  const JsonValue* found = nullptr;
  for (const auto& f : fields)
    if (f.key == key) found = &f.value;  // last occurrence wins, like a Python dict
  return found;
}

MetaDoc parse_meta(std::string_view text) {
  MetaDoc doc;
  doc.has_bom = text.substr(0, 3) == "\xEF\xBB\xBF";
  doc.utf8_valid = detail::is_valid_utf8(text);
  if (!doc.utf8_valid) {
    doc.parse_error = "sidecar is not valid UTF-8";
    return doc;
  }
  auto scan = detail::scan_json(text);
  doc.python_json_ok = scan.ok;
  doc.python_recursion_error = scan.python_recursion_error;
  doc.nesting_depth = scan.max_depth;
  // spec 4.3: strict JSON is RFC 8259 without Python's literals and, as I-JSON (RFC 7493)
  // requires, without escaped unpaired surrogates (readers disagree on what they mean).
  doc.strict_json_ok = scan.ok && !scan.uses_python_literals && !scan.has_lone_surrogate;
  if (!scan.ok) {
    doc.parse_error = scan.error;
    return doc;
  }
  if (scan.uses_python_literals) doc.parse_error = "NaN/Infinity are not JSON (RFC 8259)";
  if (scan.has_lone_surrogate) doc.parse_error = "escaped unpaired surrogate (I-JSON, RFC 7493)";
  doc.top = std::move(scan.top);
  doc.fields = std::move(scan.fields);
  std::set<std::string_view> seen;
  for (const auto& f : doc.fields)
    if (!seen.insert(f.key).second) doc.has_duplicate_keys = true;
  return doc;
}

void emit_meta(bool raw, int version, std::string& out) {
  // R-META-1, R-META-2, R-META-3: json.dumps default separators ", " and ": ", insertion
  // order cas_raw, cas_version, an integer literal, ASCII.
  // Built in one string (at most one allocation): every save emits one (issue 19).
  char digits[12];
  const auto end = std::to_chars(digits, digits + sizeof digits, version).ptr;
  out.clear();
  out.reserve(40 + static_cast<std::size_t>(end - digits));
  out.append("{\"cas_raw\": ").append(raw ? "true" : "false").append(", \"cas_version\": ");
  out.append(digits, end).push_back('}');
}

std::string emit_meta(bool raw, int version) {
  std::string s;
  emit_meta(raw, version, s);
  return s;
}

// spec 6.1 steps 3-5: the strict reader's view of the sidecar, checked in the order R-META-6,
// R-META-7, R-META-8 (so {"cas_raw": "x"} is meta_invalid, not version_missing).
Result<StrictMeta> validate_meta_strict(const MetaDoc& doc) {
  auto invalid = [](std::string why) { return Error(Errc::meta_invalid, "sidecar: " + why); };
  // Step 3, R-META-6 (and R-META-10: no text, whatever its value, means "no sidecar").
  if (!doc.utf8_valid) return invalid("not valid UTF-8");
  if (doc.has_bom) return invalid("starts with a byte order mark");
  if (doc.python_recursion_error)
    return invalid("nested deeper than " + std::to_string(kStrictMaxNesting) + " levels (R-SEC-8)");
  if (!doc.strict_json_ok) return invalid(doc.parse_error.empty() ? "not JSON" : doc.parse_error);
  if (doc.top.type != JsonType::object)
    return invalid("top level is " + std::string(name(doc.top.type)) + ", not an object");
  if (doc.has_duplicate_keys) return invalid("duplicate member names");
  if (doc.nesting_depth > kStrictMaxNesting)  // R-SEC-8
    return invalid("nested " + std::to_string(doc.nesting_depth) + " levels deep, more than " +
                   std::to_string(kStrictMaxNesting) + " (R-SEC-8)");

  // Step 4, R-META-7. Members other than these two are ignored (R-META-9).
  StrictMeta m;
  if (const JsonValue* raw = doc.get("cas_raw")) {
    if (raw->type != JsonType::boolean)
      return invalid("cas_raw is " + std::string(name(raw->type)) + ", not a boolean");
    m.raw = raw->boolean;
  }
  // Step 5, R-META-8.
  const JsonValue* ver = doc.get("cas_version");
  if (!ver) return Error(Errc::version_missing, "sidecar has no cas_version");
  if (ver->type != JsonType::integer)
    return invalid("cas_version is " + std::string(name(ver->type)) + ", not an integer");
  if (!ver->integer) {
    // Beyond 64 bits: well-formed, and no reader knows it (version_unsupported later).
    if (ver->integer_text[0] == '-') return invalid("cas_version must be >= 1, got " + ver->integer_text);
    m.version = INT64_MAX;
    return m;
  }
  if (*ver->integer < 1) return invalid("cas_version must be >= 1, got " + ver->integer_text);
  m.version = *ver->integer;
  return m;
}

}  // namespace casblob
