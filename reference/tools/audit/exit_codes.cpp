#include "audit/exit_codes.hpp"

namespace casblob::audit {
namespace {

constexpr ExitInfo kExits[] = {
    {Exit::clean, "no error-severity finding (warnings and info may be present)"},
    {Exit::errors, "at least one error-severity finding"},
    {Exit::usage, "bad arguments"},
    {Exit::incomplete, "incomplete: some objects could not be listed or read (finding `unreadable`); wins over 1"},
    {Exit::not_a_store, "ROOT is not a Metaflow datastore (no `<Flow>/data` folder), or a `--flow` is absent"},
    {Exit::interrupted, "interrupted (SIGINT, SIGTERM): the reports written are partial (`\"complete\": false`)"},
};

}  // namespace

std::span<const ExitInfo> all_exit_codes() noexcept { return kExits; }

}  // namespace casblob::audit
