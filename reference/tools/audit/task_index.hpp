// Task indexes: `<Flow>/<run>/<step>/<task>/<attempt>.data.json`, Metaflow's TaskDataStore
// record of a task's artifacts: `objects` maps each artifact name to the key of its blob.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casblob/error.hpp"

namespace casblob::audit {

// Task indexes larger than this are refused (a task with a million artifacts is ~100 MB).
inline constexpr std::uint64_t kMaxTaskIndexBytes = std::uint64_t{256} << 20;

struct TaskIndex {
  std::vector<std::string> keys;  // the values of `objects`, in document order
};

// meta_invalid when the text is not a JSON object whose `objects` is an object of keys.
Result<TaskIndex> parse_task_index(std::string_view text);

}  // namespace casblob::audit
