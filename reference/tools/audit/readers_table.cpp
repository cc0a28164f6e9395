#include "audit/readers_table.hpp"

#include <algorithm>
#include <limits>

namespace casblob::audit {
namespace {

// A reader generation no profile models directly, derived from the profiles' outcomes: one
// of them, or a constant (counted for every blob: no copy, no allocation).
struct DerivedRow {
  const char* id;
  const char* reader;
  Profile after;  // listed after this profile's row
  const ProfileOutcome& (*derive)(const std::vector<ProfileOutcome>&);
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
       [](const std::vector<ProfileOutcome>&) -> const ProfileOutcome& {
         static const ProfileOutcome o{Outcome::unhandled, "unhandled/ModuleNotFoundError",
                                       "No module named 'lz4' (import of metaflow.datastore.content_addressed_store)"};
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

namespace {

// What each row of make_reader_rows() counts: a profile's outcome (its index) or a derived
// row's (-1 - its index). Looked up once, not per blob.
std::vector<int> row_plan(const std::vector<ReaderRow>& rows) {
  std::vector<int> plan;
  for (const auto& row : rows) {
    int what = std::numeric_limits<int>::min();  // counts nothing
    if (row.derived) {
      for (std::size_t d = 0; d < derived_rows().size(); ++d)
        if (row.id == derived_rows()[d].id) what = -1 - static_cast<int>(d);
    } else if (auto p = profile_from_name(row.id)) {
      what = static_cast<int>(index_of(*p));
    }
    plan.push_back(what);
  }
  return plan;
}

}  // namespace

void count_blob(std::vector<ReaderRow>& rows, const std::vector<ProfileOutcome>& outcomes) {
  static const std::vector<ReaderRow> standard_rows = make_reader_rows();
  static const std::vector<int> standard = row_plan(standard_rows);
  const bool is_standard = std::equal(rows.begin(), rows.end(), standard_rows.begin(), standard_rows.end(),
                                      [](const ReaderRow& a, const ReaderRow& b) { return a.id == b.id; });
  const std::vector<int> other = is_standard ? std::vector<int>{} : row_plan(rows);
  const std::vector<int>& plan = is_standard ? standard : other;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const int what = plan[i];
    if (what == std::numeric_limits<int>::min()) continue;
    add_outcome(rows[i], what >= 0 ? outcomes[static_cast<std::size_t>(what)]
                                   : derived_rows()[static_cast<std::size_t>(-1 - what)].derive(outcomes));
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
