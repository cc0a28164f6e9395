// Released Metaflow (and PR #3090) as a decision procedure (R-PROF-2: the measured outcome,
// wrong bytes included). Each branch cites the Python it models; python/metaflow_model runs the
// real thing and the fixtures pin both.
#include <cmath>
#include <cstdint>

#include "casblob/codecs.hpp"
#include "casblob/meta.hpp"
#include "read/dispatch.hpp"

namespace casblob::detail {
namespace {

Error unhandled(const char* python_exception, std::string what) {
  return Error(Errc::unhandled, std::string(python_exception) + ": " + what);
}

// "_unpack_v%d" % version  (None/str/list/dict -> TypeError, NaN -> ValueError,
// inf -> OverflowError, floats truncate, bools are ints). Returns the integer, or
// INT64_MAX for integers beyond 64 bits (which no decoder matches).
Result<std::int64_t> percent_d(const JsonValue& v) {
  switch (v.type) {
    case JsonType::integer: return v.integer ? *v.integer : INT64_MAX;
    case JsonType::boolean: return std::int64_t{v.boolean ? 1 : 0};
    case JsonType::real: {
      if (std::isnan(v.real)) return unhandled("ValueError", "cannot convert float NaN to integer");
      if (std::isinf(v.real)) return unhandled("OverflowError", "cannot convert float infinity to integer");
      double t = std::trunc(v.real);
      if (std::fabs(t) >= 9.2e18) return INT64_MAX;
      return static_cast<std::int64_t>(t);
    }
    default:
      return unhandled("TypeError", "%d format: a real number is required, not " + std::string(name(v.type)));
  }
}

}  // namespace

Result<Encoding> dispatch_python(const SidecarText& sidecar, Profile profile) {
  // LocalStorage.load_bytes: no `<key>_meta` file -> metadata None.
  if (!sidecar) return Encoding::gzip_nosidecar;

  // json.load(open(path, "r")) runs outside Metaflow's try: failures escape as-is.
  MetaDoc doc = parse_meta(*sidecar);
  if (!doc.utf8_valid) return unhandled("UnicodeDecodeError", "sidecar is not UTF-8");
  if (doc.python_recursion_error) return unhandled("RecursionError", doc.parse_error);  // F14
  if (!doc.python_json_ok) return unhandled("JSONDecodeError", doc.parse_error);
  const JsonValue& meta = doc.top;

  // `if meta is None`: a sidecar holding `null` reads like no sidecar (hazard H-NULL-META).
  if (meta.type == JsonType::null) return Encoding::gzip_nosidecar;
  // `meta and meta.get(...)` / `meta.get("cas_version", -1)` on a non-dict.
  if (meta.type != JsonType::object)
    return unhandled("AttributeError", "'" + std::string(name(meta.type)) + "' object has no attribute 'get'");

  // `if force_raw or (meta and meta.get("cas_raw", False))`: any truthy value (H-RAW-TRUTHY).
  if (const JsonValue* raw = doc.get("cas_raw"); raw && meta.python_truthy() && raw->python_truthy())
    return Encoding::raw;

  // `version = meta.get("cas_version", -1); if version == -1: raise DataException`
  const JsonValue* ver = doc.get("cas_version");
  bool equals_minus_one = !ver || (ver->type == JsonType::integer && ver->integer == -1) ||
                          (ver->type == JsonType::real && ver->real == -1.0);
  if (equals_minus_one) return Error(Errc::version_missing, "Could not extract encoding version");

  auto n = percent_d(*ver);
  if (!n) return n.error();
  if (*n == 1) return Encoding::gzip_v1;
  if (*n == 2 && profile != Profile::legacy) {
    // v2-nolz4: the lazy `import lz4.frame` fails inside the try -> DataException (R-PROF-3).
    if (profile == Profile::v2_nolz4 || !lz4_available())
      return Error(Errc::codec_unavailable, "Could not unpack artifact: No module named 'lz4'");
    return Encoding::lz4_v2;
  }
  return Error(Errc::version_unsupported,
               "Unknown encoding version " + (*n == INT64_MAX ? std::string("(huge)") : std::to_string(*n)));
}

}  // namespace casblob::detail
