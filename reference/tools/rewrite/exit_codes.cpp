#include "rewrite/exit_codes.hpp"

namespace casblob::rewrite {

std::span<const ExitInfo> exit_table() noexcept {
  static constexpr ExitInfo t[] = {
      {Exit::done, "every blob examined is in the target or was rewritten (repair: every finding it acts on was fixed); dry run: the plan is complete"},
      {Exit::left, "some blobs were left as they are: nothing proves their content (damaged: `keyMismatch`, `corrupt`, `zeroLength`, ...)"},
      {Exit::usage, "bad arguments (an existing journal without `--resume`, a `--resume` of another command or target)"},
      {Exit::incomplete, "some objects could not be listed, read or written (or vanished): run again, with `--resume`"},
      {Exit::not_a_store, "ROOT is not a Metaflow datastore (no `<Flow>/data` folder), or a `--flow` is absent"},
      {Exit::interrupted, "interrupted (SIGINT, SIGTERM): the blobs in hand were finished; `--resume` continues"},
  };
  return t;
}

}  // namespace casblob::rewrite
