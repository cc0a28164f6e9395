#include "audit/task_index.hpp"

#include <nlohmann/json.hpp>

#include "casblob/key.hpp"

namespace casblob::audit {
namespace {

// Only `objects` matters, and a task index's `info` is larger than it: a SAX pass that keeps
// the string values of the top-level `objects` map, instead of a DOM of the whole file.
class ObjectsHandler final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<std::string> keys;
  std::string error;
  bool top_object = false, saw_objects = false;

  bool null() override { return value("null"); }
  bool boolean(bool) override { return value("a boolean"); }
  bool number_integer(number_integer_t) override { return value("a number"); }
  bool number_unsigned(number_unsigned_t) override { return value("a number"); }
  bool number_float(number_float_t, const string_t&) override { return value("a number"); }
  bool string(string_t& s) override {
    if (in_objects_value()) {
      if (!is_valid_key(s)) return fail("artifact \"" + last_key_ + "\" does not name a key");
      keys.push_back(std::move(s));
    }
    return true;
  }
  bool binary(binary_t&) override { return value("binary"); }
  bool start_object(std::size_t) override {
    if (depth_ == 0) top_object = true;
    if (in_objects_value()) return fail("artifact \"" + last_key_ + "\" does not name a key");
    if (depth_ == 1 && last_key_ == "objects") objects_depth_ = 2, saw_objects = true;
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    last_key_ = k;
    return true;
  }
  bool end_object() override {
    if (--depth_ < objects_depth_) objects_depth_ = 0;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 1 && last_key_ == "objects") return fail("\"objects\" is not a map");
    if (in_objects_value()) return fail("artifact \"" + last_key_ + "\" does not name a key");
    ++depth_;
    return true;
  }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return fail("not JSON"); }

 private:
  bool in_objects_value() const { return objects_depth_ == 2 && depth_ == 2; }
  bool value(const char* what) {
    if (in_objects_value()) return fail("artifact \"" + last_key_ + "\" is " + what + ", not a key");
    if (depth_ == 1 && last_key_ == "objects") return fail("\"objects\" is not a map");
    return true;
  }
  bool fail(std::string e) {
    if (error.empty()) error = std::move(e);
    return false;
  }
  int depth_ = 0, objects_depth_ = 0;
  std::string last_key_;
};

}  // namespace

Result<TaskIndex> parse_task_index(std::string_view text) {
  ObjectsHandler h;
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &h);
  if (!ok) return Error(Errc::meta_invalid, h.error.empty() ? "not JSON" : h.error);
  if (!h.top_object) return Error(Errc::meta_invalid, "not a JSON object");
  if (!h.saw_objects) return Error(Errc::meta_invalid, "no \"objects\" map");
  return TaskIndex{std::move(h.keys)};
}

}  // namespace casblob::audit
