#include "audit/task_index.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "casblob/key.hpp"

namespace casblob::audit {
namespace {

// Metaflow reads a task index with json.loads(bytes) (TaskDataStore.load_metadata): the bytes
// are decoded first (json.detect_encoding: UTF-8, a UTF-8 BOM stripped; 'surrogatepass'), then
// parsed by CPython's scanner. This parser is that reader for UTF-8 documents, in one pass
// without building a document: values outside the top-level `objects` map are validated and
// skipped. Where it is not that reader it refuses (references unknown, never invented):
// UTF-16/32 documents, which Metaflow never writes.
//
// Python's json, as in the sidecar model (spec 4.3, src/sidecar/json_scan.cpp): NaN, Infinity
// and -Infinity are values; duplicate names keep the last value; integers of more than 4300
// digits are a ValueError; a document nested deeper than 990 containers is a RecursionError.
constexpr std::size_t kPythonIntMaxDigits = 4300;
constexpr int kPythonMaxDepth = 990;

// Eight bytes as one word: task indexes are ASCII but for artifact names, and their strings
// are long runs of plain characters (keys, Python's type names), so the UTF-8 check and the
// string scan go a word at a time (the byte loops were the audit's largest cost of its own
// on a store of small blobs: bench/audit, issue 15).
constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
std::uint64_t word_at(const void* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}
// The high bit of each byte of `w` below `n` (n <= 0x80): exact for the lowest such byte (a
// borrow can only mark bytes above it), which is all the callers look at.
std::uint64_t bytes_below(std::uint64_t w, std::uint8_t n) { return (w - kOnes * n) & ~w & kHighs; }

// The length of the run of plain string characters at `p` (none of '"', '\\', U+0000-U+001F).
std::size_t plain_run(const char* p, std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little)  // big-endian: the byte loop below
    for (; i + 8 <= n; i += 8) {
      const std::uint64_t w = word_at(p + i);
      const std::uint64_t hit = bytes_below(w ^ (kOnes * '"'), 1) | bytes_below(w ^ (kOnes * '\\'), 1) | bytes_below(w, 0x20);
      if (hit) return i + static_cast<std::size_t>(std::countr_zero(hit) >> 3);  // the first byte is the lowest
    }
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c == '\\' || c < 0x20) break;
  }
  return i;
}

// Python's UTF-8 decoder with 'surrogatepass': no overlong forms, at most U+10FFFF, encoded
// surrogates (ED A0-BF ..) allowed.
bool utf8_surrogatepass(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (end - p >= 8 && (word_at(p) & kHighs) == 0) {  // eight ASCII characters
      p += 8;
      continue;
    }
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 1;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, lo = c == 0xE0 ? 0xA0 : 0x80;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return false;
    if (end - p <= n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= n; ++i)
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    p += n + 1;
  }
  return true;
}

// json.detect_encoding picks UTF-16 or UTF-32 for these first bytes.
bool looks_utf16_or_32(std::string_view s) {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  if (s.size() >= 2 && ((at(0) == 0xFE && at(1) == 0xFF) || (at(0) == 0xFF && at(1) == 0xFE))) return true;
  if (s.size() >= 4) return at(0) == 0 || at(1) == 0;
  return s.size() == 2 && (at(0) == 0 || at(1) == 0);
}

void append_utf8(std::string& out, unsigned cp) {  // surrogates too (WTF-8), as Python's str holds them
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One `objects` map as read: each artifact name once (a repeated name keeps its last value and
// its first place, as a Python dict does), with its key or what is wrong with its value.
struct ObjectsMap {
  struct Entry {
    std::string name;
    std::string key;      // "" when `problem` says what the value is instead
    std::string problem;  // "" when a key
  };
  // A task has a few dozen artifacts: up to kLinear names are found by a scan of `entries`,
  // the hash map is built past that (a node per name cost more than the scan).
  static constexpr std::size_t kLinear = 32;
  std::vector<Entry> entries;                          // in the order names first appear
  std::unordered_map<std::string, std::size_t> where;  // name -> its entry, past kLinear names
  void set(const std::string& name, std::string key, std::string problem) {
    if (auto at = find(name)) {
      entries[*at].key = std::move(key);
      entries[*at].problem = std::move(problem);
      return;
    }
    entries.push_back({name, std::move(key), std::move(problem)});
    if (entries.size() > kLinear) {
      if (where.empty())
        for (std::size_t i = 0; i + 1 < entries.size(); ++i) where.emplace(entries[i].name, i);
      where.emplace(name, entries.size() - 1);
    }
  }

 private:
  std::optional<std::size_t> find(const std::string& name) const {
    if (entries.size() > kLinear) {
      auto it = where.find(name);
      return it == where.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    }
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].name == name) return i;
    return std::nullopt;
  }
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  // The document as json.loads sees it; the top-level members named "objects" are read into
  // `objects_` (the last one counts).
  bool document() {
    ws();
    if (!value(0, true)) return false;
    ws();
    if (pos_ != s_.size()) return fail("extra data");
    return true;
  }

  const std::string& error() const { return err_; }
  bool top_is_object() const { return top_is_object_; }
  bool has_objects() const { return objects_seen_; }
  // What the last "objects" member was: a map (objects_ filled) or something else.
  const char* objects_kind() const { return objects_kind_; }
  ObjectsMap& objects() { return objects_; }

 private:
  bool fail(const char* what) {
    if (err_.empty()) err_ = std::string(what) + " at offset " + std::to_string(pos_);
    return false;
  }
  bool more() const { return pos_ < s_.size(); }
  char peek() const { return s_[pos_]; }
  void ws() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }
  bool literal(std::string_view word) {
    if (s_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }

  // A value. `top`: the document's own value (its members are looked at for "objects").
  // `kind`, when given, is set to what the value is ("a map" for an object).
  bool value(int depth, bool top = false, const char** kind = nullptr, std::string* string_out = nullptr) {
    if (depth > kPythonMaxDepth) return fail("maximum recursion depth exceeded");
    if (!more()) return fail("expecting value");
    const char c = peek();
    auto is = [&](const char* what) {
      if (kind) *kind = what;
      return true;
    };
    switch (c) {
      case '{':
        if (top) top_is_object_ = true;
        return object(depth + 1, top) && is("a map");
      case '[': return array(depth + 1) && is("a list");
      case '"': return string(string_out) && is("a string");
      case 'n': return literal("null") ? is("null") : fail("expecting value");
      case 't': return literal("true") ? is("a boolean") : fail("expecting value");
      case 'f': return literal("false") ? is("a boolean") : fail("expecting value");
      case 'N': return literal("NaN") ? is("a number") : fail("expecting value");
      case 'I': return literal("Infinity") ? is("a number") : fail("expecting value");
      case '-':
        if (literal("-Infinity")) return is("a number");
        return number() && is("a number");
      default:
        if (c >= '0' && c <= '9') return number() && is("a number");
        return fail("expecting value");
    }
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // Python's NUMBER_RE: (-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?
  bool number() {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (!more() || !digit(peek())) return fail("expecting value");
    if (peek() == '0') ++pos_;
    else
      while (more() && digit(peek())) ++pos_;
    const std::size_t int_digits = pos_ - start - (s_[start] == '-' ? 1 : 0);
    bool real = false;
    if (pos_ + 1 < s_.size() && s_[pos_] == '.' && digit(s_[pos_ + 1])) {
      real = true;
      pos_ += 2;
      while (more() && digit(peek())) ++pos_;
    }
    if (more() && (peek() == 'e' || peek() == 'E')) {
      const std::size_t e = pos_++;
      if (more() && (peek() == '+' || peek() == '-')) ++pos_;
      if (more() && digit(peek())) {
        real = true;
        while (more() && digit(peek())) ++pos_;
      } else {
        pos_ = e;  // "1e": the number is "1"; the "e" is what follows it
      }
    }
    if (!real && int_digits > kPythonIntMaxDigits) return fail("an integer of more than 4300 digits (Python's ValueError)");
    return true;
  }

  // A string; decoded into `out` when given, else only checked (strict=True: no control
  // characters; escapes \" \\ \/ \b \f \n \r \t \uXXXX).
  bool string(std::string* out) {
    ++pos_;  // the opening quote
    if (out) out->clear();
    for (;;) {
      const std::size_t run = pos_;
      pos_ += plain_run(s_.data() + pos_, s_.size() - pos_);
      if (out) out->append(s_.substr(run, pos_ - run));
      if (!more()) return fail("unterminated string");
      const char c = peek();
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') return fail("invalid control character in a string");
      ++pos_;
      if (!more()) return fail("unterminated string");
      const char e = s_[pos_++];
      char plain = 0;
      switch (e) {
        case '"': plain = '"'; break;
        case '\\': plain = '\\'; break;
        case '/': plain = '/'; break;
        case 'b': plain = '\b'; break;
        case 'f': plain = '\f'; break;
        case 'n': plain = '\n'; break;
        case 'r': plain = '\r'; break;
        case 't': plain = '\t'; break;
        case 'u': {
          unsigned cp;
          if (!hex4(cp)) return fail("invalid \\uXXXX escape");
          // A high surrogate followed by an escaped low one is one character (Python joins them).
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.compare(pos_, 2, "\\u") == 0) {
            const std::size_t save = pos_;
            pos_ += 2;
            unsigned low;
            if (hex4(low) && low >= 0xDC00 && low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            else pos_ = save;
          }
          if (out) append_utf8(*out, cp);
          continue;
        }
        default: return fail("invalid \\escape");
      }
      if (out) *out += plain;
    }
  }

  bool hex4(unsigned& cp) {
    if (s_.size() - pos_ < 4) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(s_[pos_ + static_cast<std::size_t>(i)]);
      if (h < 0) return false;
      cp = cp << 4 | static_cast<unsigned>(h);
    }
    pos_ += 4;
    return true;
  }

  // `{` name `:` value (`,` name `:` value)* `}`: each name is decoded into `name` when it is
  // given, and `member()` reads the value after it.
  template <class Member>
  bool members(std::string* name, Member member) {
    bool done = open('}');
    while (!done) {
      if (!more() || peek() != '"') return fail("expecting a property name in double quotes");
      if (!string(name)) return false;
      ws();
      if (!more() || peek() != ':') return fail("expecting ':'");
      ++pos_;
      ws();
      if (!member() || !separator('}', done)) return false;
    }
    return true;
  }

  // The opening bracket and the blanks after it; true when `close` follows: the container is
  // empty (and read).
  bool open(char close) {
    ++pos_;
    ws();
    if (!more() || peek() != close) return false;
    ++pos_;
    return true;
  }

  // After a member or an element: `close` ends the container (`done`), a comma continues it.
  bool separator(char close, bool& done) {
    ws();
    if (more() && peek() == close) {
      ++pos_;
      done = true;
      return true;
    }
    if (!more() || peek() != ',') return fail(close == '}' ? "expecting ',' or '}'" : "expecting ',' or ']'");
    ++pos_;
    ws();
    return true;
  }

  // `top`: the document's object, whose "objects" members are read as maps of keys.
  bool object(int depth, bool top) {
    std::string name;
    return members(top ? &name : nullptr, [&] {
      if (!top || name != "objects") return value(depth);
      objects_seen_ = true;
      objects_ = ObjectsMap{};
      objects_kind_ = nullptr;
      if (!more() || peek() != '{') return value(depth, false, &objects_kind_);
      if (depth > kPythonMaxDepth) return fail("maximum recursion depth exceeded");
      if (!objects_map(depth + 1)) return false;
      objects_kind_ = "a map";
      return true;
    });
  }

  // The `objects` map: artifact name -> key.
  bool objects_map(int depth) {
    std::string name, key;
    return members(&name, [&] {
      const char* kind = nullptr;
      key.clear();
      if (!value(depth, false, &kind, &key)) return false;
      if (kind != std::string_view("a string")) objects_.set(name, "", "artifact \"" + name + "\" is " + kind + ", not a key");
      else if (!is_valid_key(key)) objects_.set(name, "", "artifact \"" + name + "\" does not name a key");
      else objects_.set(name, std::move(key), "");
      return true;
    });
  }

  bool array(int depth) {
    bool done = open(']');
    while (!done)
      if (!value(depth) || !separator(']', done)) return false;
    return true;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::string err_;
  bool top_is_object_ = false, objects_seen_ = false;
  const char* objects_kind_ = nullptr;
  ObjectsMap objects_;
};

}  // namespace

Result<TaskIndex> parse_task_index(std::string_view text) {
  if (looks_utf16_or_32(text)) return Error(Errc::meta_invalid, "not UTF-8 (json.loads would read it as UTF-16 or UTF-32; Metaflow writes UTF-8)");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // utf-8-sig
  if (!utf8_surrogatepass(text)) return Error(Errc::meta_invalid, "not UTF-8");
  Parser p(text);
  if (!p.document()) return Error(Errc::meta_invalid, "not JSON: " + p.error());
  if (!p.top_is_object()) return Error(Errc::meta_invalid, "not a JSON object");
  if (!p.has_objects()) return Error(Errc::meta_invalid, "no \"objects\" map");
  if (p.objects_kind() != std::string_view("a map")) return Error(Errc::meta_invalid, "\"objects\" is not a map");
  ObjectsMap& m = p.objects();
  TaskIndex out;
  out.keys.reserve(m.entries.size());
  for (auto& e : m.entries) {
    if (!e.problem.empty()) return Error(Errc::meta_invalid, e.problem);
    out.keys.push_back(std::move(e.key));
  }
  return out;
}

}  // namespace casblob::audit
