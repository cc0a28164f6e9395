// A JSON scanner that models two readers at once (spec 4.3): Python's json module (what
// released Metaflow uses: NaN/Infinity accepted, duplicates "last wins", ints unbounded up
// to CPython's 4300-digit str->int limit) and RFC 8259 (what the strict reader requires).
// Internal to meta.cpp; exposed for its unit test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casblob/meta.hpp"

namespace casblob::detail {

struct ScanResult {
  bool ok = false;             // Python's json.loads accepts the text
  bool uses_python_literals = false;  // NaN / Infinity / -Infinity appeared
  bool has_lone_surrogate = false;    // a \uD800-\uDFFF escape without its pair (I-JSON forbids)
  bool python_recursion_error = false;  // nested deeper than Python's json goes (RecursionError)
  int max_depth = 0;                    // objects and arrays around the deepest one (a top-level object: 1)
  std::string error;           // first error, with character offset
  JsonValue top;
  std::vector<MetaField> fields;  // top-level object members, in order
};

// `text` must already be valid UTF-8 (json.load reads a decoded str).
ScanResult scan_json(std::string_view text);

// Python's UTF-8 decoder (strict): no overlongs, no surrogates, <= U+10FFFF.
bool is_valid_utf8(std::string_view bytes);

}  // namespace casblob::detail
