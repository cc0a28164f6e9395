#include "rewrite/quarantine.hpp"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace casblob::rewrite {

Result<std::vector<std::string>> quarantine(Storage& storage, const std::string& dir, const QuarantineEntry& e) {
  std::vector<std::string> files = {e.path};
  SidecarText sidecar;
  if (e.with_sidecar) {
    auto side = storage.read_sidecar(e.path);
    if (side && *side) {
      sidecar = *side;
      files.push_back(e.path + "_meta");
    }
  }
  auto info = storage.stat(e.path);
  if (!info) return info.error();

  nlohmann::ordered_json rec;
  rec["root"] = storage.url();
  rec["path"] = e.path;
  rec["files"] = files;
  rec["size"] = info->size;
  rec["mtime_ns"] = info->mtime_ns;
  rec["sidecar"] = sidecar ? nlohmann::ordered_json(*sidecar) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json why = nlohmann::ordered_json::array();
  for (const auto& f : e.findings) why.push_back({{"id", audit::name(f.id)}, {"message", f.message}, {"detail", f.detail}});
  rec["findings"] = why;
  rec["time"] = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  rec["restore"] = "move the files back to the same paths below the root";

  // The record first: a crash after it and before the move leaves a record and the object in
  // place; never a moved object nobody can explain.
  const std::filesystem::path record = std::filesystem::path(dir) / (e.path + ".casblob-quarantine.json");
  std::error_code ec;
  std::filesystem::create_directories(record.parent_path(), ec);
  if (ec) return Error(Errc::io_error, "cannot create " + record.parent_path().string() + ": " + ec.message());
  auto sink = AtomicFileSink::create(record.string());
  if (!sink) return sink.error();
  CASBLOB_TRY(sink->write(as_bytes(rec.dump(1) + "\n")));
  CASBLOB_TRY(sink->commit());
  // The payload first: a crash between the two moves leaves a sidecar without payload (an
  // orphan, R-KEY-4's other harmless state), never a payload read without its sidecar.
  for (const auto& f : files) CASBLOB_TRY(storage.move_to_quarantine(f, dir, f));
  return files;
}

}  // namespace casblob::rewrite
