#include "rewrite/forms.hpp"

#include "casblob/meta.hpp"

namespace casblob::rewrite {

std::string_view name(Form f) noexcept {
  switch (f) {
    case Form::nosidecar: return "no-sidecar";
    case Form::v1: return "v1";
    case Form::v2: return "v2";
    case Form::raw: return "raw";
  }
  return "?";
}

std::optional<Form> form_from_name(std::string_view n) noexcept {
  for (Form f : {Form::nosidecar, Form::v1, Form::v2, Form::raw})
    if (name(f) == n) return f;
  return std::nullopt;
}

Form form_of(Encoding e) noexcept {
  switch (e) {
    case Encoding::raw: return Form::raw;
    case Encoding::gzip_v1: return Form::v1;
    case Encoding::gzip_nosidecar:
    case Encoding::gzip_pre_cas: return Form::nosidecar;  // gzip, whatever the sidecar says
    case Encoding::lz4_v2: return Form::v2;
  }
  return Form::v1;
}

std::string describe(const Target& t) {
  std::string s(name(t.form));
  if (t.form == Form::v2 && t.content_checksum) s += " + content checksum";
  return s;
}

EncodeOptions encode_options(const Target& t) {
  EncodeOptions o;
  o.raw = t.form == Form::raw;
  o.version = t.form == Form::v2 ? 2 : 1;
  o.lz4.content_checksum = t.content_checksum;
  return o;
}

SidecarText canonical_sidecar(Form f) {
  switch (f) {
    case Form::nosidecar: return std::nullopt;
    case Form::v1: return emit_meta(false, 1);
    case Form::v2: return emit_meta(false, 2);
    case Form::raw: return emit_meta(true, 1);
  }
  return std::nullopt;
}

bool is_fence(const SidecarText& s) noexcept { return s && *s == kFenceSidecar; }

}  // namespace casblob::rewrite
