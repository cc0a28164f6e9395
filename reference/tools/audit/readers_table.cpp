#include "audit/readers_table.hpp"

#include <functional>

namespace casblob::audit {
namespace {

// A reader generation no profile models directly, derived from the profiles' outcomes.
struct DerivedRow {
  const char* id;
  const char* reader;
  Profile after;  // listed after this profile's row
  std::function<ProfileOutcome(const std::vector<ProfileOutcome>&)> derive;
};

std::size_t index_of(Profile p) {
  for (std::size_t i = 0; i < std::size(kAllProfiles); ++i)
    if (kAllProfiles[i] == p) return i;
  return 0;
}

const std::vector<DerivedRow>& derived_rows() {
  static const std::vector<DerivedRow> rows = {
      // PR #3090 puts `import lz4.frame` at the top of content_addressed_store.py: without lz4,
      // importing Metaflow's datastore fails before any blob is read, v1 and raw included.
      {"v2-as-written-nolz4", "Metaflow + PR #3090 as written, without lz4", Profile::v2,
       [](const std::vector<ProfileOutcome>&) {
         ProfileOutcome o;
         o.outcome = Outcome::unhandled;
         o.error = "unhandled/ModuleNotFoundError";
         o.message = "No module named 'lz4' (import of metaflow.datastore.content_addressed_store)";
         return o;
       }},
  };
  return rows;
}

void add_outcome(ReaderRow& row, const ProfileOutcome& o) {
  ++row.count(o.outcome);
  if (!o.error.empty()) ++row.errors[o.error];
}

}  // namespace

std::string reader_label(Profile p) {
  switch (p) {
    case Profile::pre_cas: return "Metaflow 2.0-2.3 (before the CAS: gunzips every blob)";
    case Profile::legacy: return "Metaflow 2.4-2.19 (released CAS reader)";
    case Profile::v2: return "Metaflow + PR #3090, with lz4";
    case Profile::v2_nolz4: return "v2-aware Metaflow importing lz4 lazily, without lz4";
    case Profile::strict: return "strict (the spec's reader: casblob)";
    default: break;
  }
  return std::string(name(p));
}

std::vector<ReaderRow> make_reader_rows() {
  std::vector<ReaderRow> rows;
  for (Profile p : kAllProfiles) {
    ReaderRow row;
    row.id = std::string(name(p));
    row.reader = reader_label(p);
    rows.push_back(row);
    for (const auto& d : derived_rows()) {
      if (d.after != p) continue;
      ReaderRow dr;
      dr.id = d.id;
      dr.reader = d.reader;
      dr.derived = true;
      rows.push_back(dr);
    }
  }
  return rows;
}

void count_blob(std::vector<ReaderRow>& rows, const std::vector<ProfileOutcome>& outcomes) {
  for (auto& row : rows) {
    if (row.derived) {
      for (const auto& d : derived_rows())
        if (row.id == d.id) add_outcome(row, d.derive(outcomes));
      continue;
    }
    auto p = profile_from_name(row.id);
    if (p) add_outcome(row, outcomes[index_of(*p)]);
  }
}

bool add_rows(std::vector<ReaderRow>& into, const std::vector<ReaderRow>& from) {
  if (into.size() != from.size()) return false;
  for (std::size_t i = 0; i < into.size(); ++i) {
    if (into[i].id != from[i].id) return false;
    for (std::size_t k = 0; k < into[i].outcomes.size(); ++k) into[i].outcomes[k] += from[i].outcomes[k];
    for (const auto& [label, n] : from[i].errors) into[i].errors[label] += n;
  }
  return true;
}

}  // namespace casblob::audit
