// "Who can read this store": one row per reader generation. The rows are the library's
// profiles (kAllProfiles: a profile added there appears here by itself) and the derived
// generations below, each computed from the profiles' outcomes in one place.
#pragma once

#include <string>
#include <vector>

#include "audit/profile_reads.hpp"
#include "audit/report.hpp"

namespace casblob::audit {

// The deployed software a profile stands for ("Metaflow 2.4-2.19" for legacy).
std::string reader_label(Profile p);

// Empty rows, in report order.
std::vector<ReaderRow> make_reader_rows();

// Adds one blob: `outcomes` in kAllProfiles order (ProfileReads::outcomes).
void count_blob(std::vector<ReaderRow>& rows, const std::vector<ProfileOutcome>& outcomes);

// Adds `from` into `into` (same rows: merging shard reports). False when the rows differ.
bool add_rows(std::vector<ReaderRow>& into, const std::vector<ReaderRow>& from);

}  // namespace casblob::audit
