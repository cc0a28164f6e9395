// The sidecar: a small JSON object such as {"cas_raw": false, "cas_version": 1} (spec 4).
//
// Parsing keeps what is needed to model how *Python* sees the text (released Metaflow reads
// it with json.load on a UTF-8 text file) and what the strict reader requires (RFC 8259):
// the JSON type of each field, duplicate keys (Python: last wins), non-object top level,
// Python-only literals (NaN, Infinity), bad UTF-8, a byte order mark.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casblob/error.hpp"

namespace casblob {

enum class JsonType { null, boolean, integer, real, string, array, object };
std::string_view name(JsonType t) noexcept;

// One top-level JSON value, summarised. For an object, `fields` lists every member in
// document order (duplicates included).
struct JsonValue {
  JsonType type = JsonType::null;
  bool boolean = false;
  // integer: exact when it fits; `integer_text` always holds the literal (Python ints are
  // unbounded). real: the double Python would get (may be inf/nan).
  std::optional<std::int64_t> integer;
  std::string integer_text;
  double real = 0.0;
  std::string string;      // decoded string value (UTF-8; lone surrogates as WTF-8)
  std::size_t length = 0;  // array/object member count
  bool python_truthy() const;
};

struct MetaField {
  std::string key;
  JsonValue value;
};

struct MetaDoc {
  // Stages in order; a later stage is only meaningful when the earlier ones hold.
  bool utf8_valid = false;       // the bytes decode as UTF-8 (Python open(..., "r"))
  bool has_bom = false;          // leading EF BB BF (Python's json rejects it)
  bool python_json_ok = false;   // json.loads would accept it (NaN/Infinity allowed)
  bool strict_json_ok = false;   // RFC 8259: no NaN/Infinity literals
  bool python_recursion_error = false;  // json.load raises RecursionError, not JSONDecodeError
  int nesting_depth = 0;         // objects and arrays around the deepest value (top-level object: 1)
  std::string parse_error;       // first error, for messages
  JsonValue top;                 // the top-level value
  std::vector<MetaField> fields; // when top is an object
  bool has_duplicate_keys = false;

  // Python's dict view: last occurrence wins.
  const JsonValue* get(std::string_view key) const;
};

// Never fails: every input yields a MetaDoc that says what is wrong with it.
MetaDoc parse_meta(std::string_view text);

// Exactly what Metaflow writes: json.dumps({"cas_raw": raw, "cas_version": v}) (spec 4.1).
std::string emit_meta(bool raw, int version);
// The same into `out`, overwritten (its memory reused: a batch writer allocates nothing).
void emit_meta(bool raw, int version, std::string& out);

// R-SEC-8: a strict reader accepts objects and arrays nested up to 512 deep (the top-level
// object counts as one), and no deeper (meta_invalid). Sidecars Metaflow writes nest 1 deep.
inline constexpr int kStrictMaxNesting = 512;

// What the strict reader accepts (spec 4.3); errors are meta_invalid / version_missing.
struct StrictMeta {
  bool raw = false;
  std::int64_t version = 0;  // >= 1; whether it is supported is decided by the reader
};
Result<StrictMeta> validate_meta_strict(const MetaDoc& doc);

}  // namespace casblob
