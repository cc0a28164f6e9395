// Names in a Metaflow datastore (spec 3.2, 4.2, 10.6): what each entry of a CAS prefix
// `<Flow>/data/<kk>/` is, and which files are task indexes.
#pragma once

#include <string>
#include <string_view>

namespace casblob::audit {

// Two lowercase hex digits: a <kk> shard folder of a CAS prefix.
bool is_shard_name(std::string_view name) noexcept;
unsigned shard_number(std::string_view kk) noexcept;  // "0a" -> 10

enum class EntryKind {
  blob,     // "<key>": a payload (its key starts with the folder's <kk>)
  sidecar,  // "<key>_meta"
  temp,     // Metaflow's tempfile.mkstemp "tmpXXXXXXXX", casblob's ".<name>.casblob-tmp-XXXXXX"
  stray,    // anything else, including a key in the wrong <kk> folder
};
// `key` receives the key of a blob or sidecar: a view into `name`.
EntryKind classify_entry(std::string_view name, std::string_view kk, std::string_view* key);

// What a stray name is, for the finding's message.
std::string describe_stray(std::string_view name, std::string_view kk);

// "<attempt>.data.json" (Metaflow's TaskDataStore: METADATA_DATA_SUFFIX), attempt a number.
bool is_task_index_name(std::string_view name) noexcept;

// Folders of a flow or run that hold metadata, not runs, steps or tasks.
bool is_metadata_dir(std::string_view name) noexcept;

}  // namespace casblob::audit
