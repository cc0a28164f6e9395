#include "audit/task_index.hpp"

#include <nlohmann/json.hpp>

#include "casblob/key.hpp"

namespace casblob::audit {

Result<TaskIndex> parse_task_index(std::string_view text) {
  auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error(Errc::meta_invalid, "not JSON");
  if (!doc.is_object()) return Error(Errc::meta_invalid, "not a JSON object");
  auto objects = doc.find("objects");
  if (objects == doc.end() || !objects->is_object()) return Error(Errc::meta_invalid, "no \"objects\" map");
  TaskIndex index;
  for (auto it = objects->begin(); it != objects->end(); ++it) {
    if (!it->is_string() || !is_valid_key(it->get_ref<const std::string&>()))
      return Error(Errc::meta_invalid, "artifact \"" + it.key() + "\" does not name a key");
    index.keys.push_back(it->get<std::string>());
  }
  return index;
}

}  // namespace casblob::audit
