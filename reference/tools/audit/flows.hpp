// The flows of a datastore: `<root>/<Flow>/data` folders (spec 3.2).
#pragma once

#include <string>

#include "casblob/error.hpp"
#include "casblob/store.hpp"

namespace casblob::audit {

// A flow named by the user (--flow), looked up itself: one stat of `<flow>/data`, not a search of
// the root listing. On a bucket with many flows that is one request, and s3rver 3.7.1 (the tests'
// server) leaves a prefix out of a delimited listing when no object lies directly in it
// (spec 4.2.2). usage for a name that is not a flow name, not_found when there is no such folder.
Status find_named_flow(Storage& storage, const std::string& flow);

}  // namespace casblob::audit
