#include "sidecar/json_scan.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace casblob::detail {
namespace {

// CPython 3.11 refuses str->int conversions above 4300 digits (ValueError from json.loads).
constexpr std::size_t kPythonIntMaxDigits = 4300;
// Python's json recurses once per nested container and raises RecursionError when the
// interpreter's limit (1000 frames) is reached, so where it gives up depends on how deep the
// caller already is. Measured (/usr/bin/python3 3.11, Metaflow 2.19.38 LocalStorage +
// ContentAddressedStore.load_blobs called from a module's top level): a sidecar whose members
// nest 990 containers deep reads, 991 raise (F14). The model uses that boundary; a task calling
// from deeper gives up a few dozen levels sooner (spec 10.2; the fixtures stay clear of it).
constexpr int kPythonMaxDepth = 990;

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  ScanResult run() {
    ScanResult r;
    skip_ws();
    // json.loads: a str starting with U+FEFF is "Unexpected UTF-8 BOM".
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") return fail(r, "unexpected UTF-8 BOM");
    if (!value(r.top, 0, &r.fields)) {
      r.python_recursion_error = too_deep_;
      return fail(r, err_);
    }
    skip_ws();
    if (pos_ != s_.size()) return fail(r, "extra data");
    r.ok = true;
    r.uses_python_literals = python_literals_;
    r.has_lone_surrogate = lone_surrogate_;
    r.max_depth = max_depth_;
    return r;
  }

 private:
  ScanResult& fail(ScanResult& r, const std::string& what) {
    r.ok = false;
    r.error = what + " at offset " + std::to_string(pos_);
    return r;
  }
  bool error(const char* what) {
    err_ = what;
    return false;
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& v, int depth, std::vector<MetaField>* fields) {
    if (depth > kPythonMaxDepth) {
      too_deep_ = true;
      return error("maximum recursion depth exceeded while decoding a JSON document");
    }
    if (pos_ >= s_.size()) return error("expecting value");
    char c = s_[pos_];
    if ((c == '{' || c == '[') && depth + 1 > max_depth_) max_depth_ = depth + 1;
    if (c == '{') return object(v, depth, fields);
    if (c == '[') return array(v, depth);
    if (c == '"') {
      v.type = JsonType::string;
      return string(v.string);
    }
    if (literal("null")) return v.type = JsonType::null, true;
    if (literal("true")) return v.type = JsonType::boolean, v.boolean = true, true;
    if (literal("false")) return v.type = JsonType::boolean, v.boolean = false, true;
    if (literal("NaN")) return python_real(v, std::numeric_limits<double>::quiet_NaN());
    if (literal("Infinity")) return python_real(v, std::numeric_limits<double>::infinity());
    if (literal("-Infinity")) return python_real(v, -std::numeric_limits<double>::infinity());
    if (c == '-' || (c >= '0' && c <= '9')) return number(v);
    return error("expecting value");
  }

  bool python_real(JsonValue& v, double d) {
    python_literals_ = true;
    v.type = JsonType::real;
    v.real = d;
    return true;
  }

  // Python's NUMBER_RE: (-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?
  bool number(JsonValue& v) {
    std::size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || !isdigit(s_[pos_])) return error("expecting value");
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (pos_ < s_.size() && isdigit(s_[pos_])) ++pos_;
    }
    bool is_real = false;
    if (pos_ + 1 < s_.size() && s_[pos_] == '.' && isdigit(s_[pos_ + 1])) {
      is_real = true;
      pos_ += 1;
      while (pos_ < s_.size() && isdigit(s_[pos_])) ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      std::size_t save = pos_++;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ < s_.size() && isdigit(s_[pos_])) {
        is_real = true;
        while (pos_ < s_.size() && isdigit(s_[pos_])) ++pos_;
      } else {
        pos_ = save;  // "1e" : the number is "1", the "e" is extra data
      }
    }
    std::string text(s_.substr(start, pos_ - start));
    if (is_real) {
      v.type = JsonType::real;
      v.real = std::strtod(text.c_str(), nullptr);  // correctly rounded, like float()
      return true;
    }
    std::size_t digits = text.size() - (text[0] == '-' ? 1 : 0);
    if (digits > kPythonIntMaxDigits) return error("integer literal exceeds Python's 4300-digit limit");
    v.type = JsonType::integer;
    v.integer_text = text;
    errno = 0;
    long long n = std::strtoll(text.c_str(), nullptr, 10);
    if (errno != ERANGE) v.integer = n;
    return true;
  }

  static bool isdigit(char c) { return c >= '0' && c <= '9'; }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= s_.size()) return error("unterminated string");
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return error("invalid control character in string");
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      if (++pos_ >= s_.size()) return error("unterminated string");
      char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!hex4(cp)) return error("invalid \\uXXXX escape");
          // A high surrogate followed by \u low surrogate combines; lone ones are kept
          // (Python does the same), encoded WTF-8 style.
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            std::size_t save = pos_;
            pos_ += 2;
            unsigned lo = 0;
            if (hex4(lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) lone_surrogate_ = true;
          append_utf8(out, cp);
          break;
        }
        default: return error("invalid escape");
      }
    }
  }

  bool hex4(unsigned& cp) {
    if (pos_ + 4 > s_.size()) return false;
    for (int i = 0; i < 4; ++i) {
      char h = s_[pos_ + i];
      unsigned d = (h >= '0' && h <= '9') ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : 16;
      if (d == 16) return false;
      cp = cp * 16 + d;
    }
    pos_ += 4;
    return true;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool object(JsonValue& v, int depth, std::vector<MetaField>* fields) {
    v.type = JsonType::object;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') return error("expecting property name in double quotes");
      MetaField f;
      if (!string(f.key)) return false;
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') return error("expecting ':' delimiter");
      ++pos_;
      skip_ws();
      if (!value(f.value, depth + 1, nullptr)) return false;
      ++v.length;
      if (fields) fields->push_back(std::move(f));
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return error("expecting ',' delimiter");
    }
  }

  bool array(JsonValue& v, int depth) {
    v.type = JsonType::array;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      JsonValue item;
      if (!value(item, depth + 1, nullptr)) return false;
      ++v.length;
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return error("expecting ',' delimiter");
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::string err_;
  bool python_literals_ = false;
  bool lone_surrogate_ = false;
  bool too_deep_ = false;
  int max_depth_ = 0;
};

}  // namespace

ScanResult scan_json(std::string_view text) { return Scanner(text).run(); }

bool is_valid_utf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size(), i = 0;
  while (i < n) {
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned cp, min;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07, min = 0x10000;
    else return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace casblob::detail
