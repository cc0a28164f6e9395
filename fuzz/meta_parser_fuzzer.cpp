// The sidecar parser (spec 4): parse_meta, validate_meta_strict and both dispatches.
// The whole input is the sidecar text. The sidecar is read whole (it is a small file / one
// metadata value), so there is no chunking to vary; the "feed twice" invariants here are:
// parsing twice gives the same summary, and surrounding the text with JSON whitespace
// (" \t\r\n", outside a BOM) changes nothing. Further assertions: the stages are monotone
// (strict JSON => Python JSON => UTF-8 without BOM); validate_meta_strict only accepts what
// spec 6.1 steps 3-5 allow; where strict dispatch accepts (or says version_unsupported),
// released Metaflow's dispatch (profile v2; legacy except version 2) decides the same;
// emit_meta round-trips; and strict JSON agrees with nlohmann::json (RFC 8259) except where
// documented in fuzz/README.md (BOM, NUL bytes, nesting beyond 510, numbers that overflow a double).
#include <nlohmann/json.hpp>

#include "read/dispatch.hpp"
#include "fuzz_common.hpp"

using namespace casblob;

namespace {

void same_doc(const MetaDoc& a, const MetaDoc& b, const char* what) {
  FUZZ_ASSERT_MSG(a.utf8_valid == b.utf8_valid && a.python_json_ok == b.python_json_ok &&
                      a.strict_json_ok == b.strict_json_ok && a.has_duplicate_keys == b.has_duplicate_keys,
                  what);
  if (!a.python_json_ok) return;
  FUZZ_ASSERT_MSG(a.top.type == b.top.type && a.fields.size() == b.fields.size() && a.top.length == b.top.length, what);
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    FUZZ_ASSERT_MSG(a.fields[i].key == b.fields[i].key, what);
    const auto &x = a.fields[i].value, &y = b.fields[i].value;
    FUZZ_ASSERT_MSG(x.type == y.type && x.boolean == y.boolean && x.integer == y.integer &&
                        x.integer_text == y.integer_text && x.string == y.string && x.length == y.length,
                    what);
    FUZZ_ASSERT_MSG(x.real == y.real || (x.real != x.real && y.real != y.real), what);
  }
}

void same_result(const Result<Encoding>& a, const Result<Encoding>& b, const std::string& what) {
  FUZZ_ASSERT_MSG(a.ok() == b.ok(), what);
  if (a.ok()) FUZZ_ASSERT_MSG(*a == *b, what);
  else FUZZ_ASSERT_MSG(a.error().code == b.error().code, what + ": " + a.error().label() + " vs " + b.error().label());
}

// RFC 8259 reference: nlohmann's SAX parser, which also reports the deepest nesting seen.
struct Sax : nlohmann::json_sax<nlohmann::json> {
  int depth = 0, max_depth = 0;
  std::string error;
  bool open() { max_depth = std::max(max_depth, ++depth); return true; }
  bool close() { --depth; return true; }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    error = ex.what();
    return false;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const MetaDoc doc = parse_meta(text);
  same_doc(doc, parse_meta(text), "parse_meta is not deterministic");

  // Stages are monotone.
  if (doc.strict_json_ok) FUZZ_ASSERT(doc.python_json_ok);
  if (doc.python_json_ok) FUZZ_ASSERT(doc.utf8_valid && !doc.has_bom);
  if (doc.has_duplicate_keys) FUZZ_ASSERT(doc.top.type == JsonType::object);
  if (doc.python_json_ok && doc.top.type == JsonType::object) FUZZ_ASSERT(doc.top.length == doc.fields.size());
  if (doc.python_json_ok && doc.top.type != JsonType::object) FUZZ_ASSERT(doc.fields.empty());

  // JSON whitespace around the text changes nothing.
  if (doc.utf8_valid) {
    same_doc(doc, parse_meta(text + " \t\r\n"), "trailing whitespace changed the parse");
    if (!doc.has_bom) same_doc(doc, parse_meta("\n\r\t " + text), "leading whitespace changed the parse");
  }

  // Strict validation.
  const auto strict_meta = validate_meta_strict(doc);
  const SidecarText sidecar = text;
  const auto strict = detail::dispatch_strict(sidecar);
  if (strict_meta.ok()) {
    FUZZ_ASSERT(doc.strict_json_ok && doc.top.type == JsonType::object && !doc.has_duplicate_keys);
    FUZZ_ASSERT(strict_meta->version >= 1);
    const JsonValue* ver = doc.get("cas_version");
    FUZZ_ASSERT(ver && ver->type == JsonType::integer);
    const JsonValue* raw = doc.get("cas_raw");
    FUZZ_ASSERT(!raw || raw->type == JsonType::boolean);
    FUZZ_ASSERT(strict_meta->raw == (raw && raw->boolean));
    FUZZ_ASSERT(strict.ok() || strict.error().code == Errc::version_unsupported ||
                strict.error().code == Errc::codec_unavailable);
  } else {
    const Errc c = strict_meta.error().code;
    FUZZ_ASSERT_MSG(c == Errc::meta_invalid || c == Errc::version_missing, strict_meta.error().label());
    FUZZ_ASSERT(!strict.ok() && strict.error().code == c);
  }

  // Released Metaflow's dispatch agrees wherever strict accepts the sidecar.
  for (Profile p : {Profile::legacy, Profile::v2, Profile::v2_nolz4}) {
    const auto py = detail::dispatch_python(sidecar, p);
    if (!py.ok()) {
      fuzz::check_error_shape(py.error());
      FUZZ_ASSERT(py.error().code != Errc::meta_invalid && py.error().code != Errc::format_mismatch);
    }
    if (!doc.python_json_ok) FUZZ_ASSERT(!py.ok() && py.error().code == Errc::unhandled);
    if (p == Profile::strict || !strict_meta.ok()) continue;
    if (strict_meta->version == 2 && !strict_meta->raw && p != Profile::v2) continue;  // legacy: unsupported; nolz4
    same_result(strict, py, "strict vs " + std::string(name(p)) + " dispatch");
  }

  // emit_meta round-trips through the strict reader.
  {
    const bool raw = size & 1;
    const int version = 1 + static_cast<int>(size % 3);
    const auto m = validate_meta_strict(parse_meta(emit_meta(raw, version)));
    FUZZ_ASSERT(m.ok() && m->raw == raw && m->version == version);
  }

  // RFC 8259 differential against nlohmann::json.
  // nlohmann's lexer reads a NUL byte as end of input: texts with NUL are not comparable.
  if (doc.utf8_valid && !doc.has_bom && text.find('\0') == std::string::npos) {
    Sax sax;
    const bool nl_ok = nlohmann::json::sax_parse(text, &sax);
    const bool overflow = sax.error.find("number overflow") != std::string::npos;
    if (sax.max_depth <= 510 && !overflow)
      FUZZ_ASSERT_MSG(nl_ok == doc.strict_json_ok,
                      std::string("strict_json_ok=") + (doc.strict_json_ok ? "true" : "false") +
                          " but nlohmann says " + (nl_ok ? "valid" : sax.error));
  }
  return 0;
}
