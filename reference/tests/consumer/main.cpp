// Ten lines an embedder writes: encode a v2 blob, push it through BlobDecoder, check the key.
#include <casblob/casblob.hpp>
#include <cstdio>

int main() {
  casblob::EncodeOptions eo;
  eo.version = casblob::lz4_available() ? 2 : 1;
  auto blob = casblob::encode_blob(casblob::as_bytes("hello, metaflow\n"), eo);
  casblob::ReadOptions ro;
  ro.key = blob->info.key;
  casblob::MemorySink out;
  casblob::BlobDecoder dec(blob->info.meta, ro, out);
  auto info = dec.update(blob->bytes).ok() ? dec.finish() : casblob::Result<casblob::DecodeInfo>(casblob::Error(casblob::Errc::corrupt, "update"));
  std::printf("%s %s %s\n", casblob::kVersion, info ? info->sha1.str().c_str() : info.error().label().c_str(),
              std::string(casblob::name(info->encoding)).c_str());
  return info && info->sha1 == "3e9e353bb1f4e52b01c73deea1925217ad845fd3" ? 0 : 1;
}
