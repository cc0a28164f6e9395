// Umbrella header.
#pragma once

#include "casblob/error.hpp"
#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/inspect.hpp"
#include "casblob/io.hpp"
#include "casblob/key.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "casblob/meta.hpp"
#include "casblob/profile.hpp"
#include "casblob/reader.hpp"
#include "casblob/s3_storage.hpp"
#include "casblob/store.hpp"
#include "casblob/version.hpp"
#include "casblob/writer.hpp"
