// One blob examined: its sidecar, its first bytes, and at --level data a full read under
// strict and every profile (profile_reads.hpp), turned into findings. One BlobChecker per
// worker: its buffers and readers are reused from blob to blob.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/profile_reads.hpp"
#include "casblob/store.hpp"

namespace casblob::audit {

struct BlobRef {
  std::string flow, key, path;  // path: "<flow>/data/<kk>/<key>"
  ObjectInfo info;              // from the listing; without stat_known, filled in by check()
};

struct BlobResult {
  std::vector<Finding> findings;          // severities are the defaults
  std::vector<ProfileOutcome> outcomes;   // kAllProfiles order; empty when unreadable
  std::string encoding;                   // space class: "v1", "v2", "raw", "no sidecar", "other"
  bool has_sidecar = false, decoded = false, raw = false, unreadable = false;
  std::uint64_t stored = 0, bytes_read = 0;
  std::int64_t mtime_ns = 0;              // the payload's
  std::optional<std::uint64_t> content;
  SidecarText sidecar;                    // as read (repair and migrate rewrite from it)
  // When strict does not read the blob right: the sidecar that makes the payload read as its
  // key ("v1", "v2", "raw"; ProfileReads::proven_as, R-FWD-5).
  std::optional<std::string> proven_as;
};

// Payloads up to this size are read into memory once; larger ones stream (kDefaultChunk).
// The size and mtime a blob's findings report: the listing's, or its opening's fstat.
struct FileStat {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

inline constexpr std::size_t kWholeBlobBytes = std::size_t{1} << 20;

class BlobChecker {
 public:
  BlobChecker(Storage& storage, std::uint64_t max_size);
  BlobResult check(const BlobRef& blob, bool decode);
  // The same into `out`, reusing what its last use allocated (the outcomes' messages): the
  // audit checks every blob of a store with one checker and one result.
  void check(const BlobRef& blob, bool decode, BlobResult& out);

 private:
  Result<std::size_t> fill(Source& src, std::span<std::uint8_t> into);
  Status stream_rest(Source& src, std::uint64_t& total);
  Status replay(const BlobRef& blob, std::uint64_t head_size, bool whole);
  void classify(const BlobRef& blob, const FileStat& st, const SidecarText& sidecar, BlobResult& out, ByteView head,
                bool decode);
  void check_raw_transfer(const BlobRef& blob, const FileStat& st, ByteView head, BlobResult& out);

  Storage& storage_;
  std::uint64_t max_size_;
  // kWholeBlobBytes + 1, allocated once and not zeroed (`new std::uint8_t[n]`): a small blob
  // touches only the pages it is read into, where a zero-filled Bytes faulted in all 257 of
  // them for every worker before its first blob.
  std::unique_ptr<std::uint8_t[]> buf_;
  ProfileReads reads_;
};

}  // namespace casblob::audit
