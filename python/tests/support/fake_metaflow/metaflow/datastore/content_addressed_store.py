import gzip

from .exceptions import DataException


class ContentAddressedStore(object):
    def __init__(self, prefix, storage_impl):
        self._prefix = prefix
        self._storage_impl = storage_impl

    def load_blobs(self, keys, force_raw=False):
        paths = [(k, self._storage_impl.path_join(self._prefix, k[:2], k)) for k in keys]
        with self._storage_impl.load_bytes([p for _, p in paths]) as loaded:
            for path_key, file_path, meta in loaded:
                key = self._storage_impl.path_split(path_key)[-1]
                with open(file_path, "rb") as f:
                    if force_raw or (meta and meta.get("cas_raw", False)):
                        blob = f.read()
                    else:
                        if meta is None:
                            unpack_code = self._unpack_backward_compatible
                        else:
                            version = meta.get("cas_version", -1)
                            if version == -1:
                                raise DataException(
                                    "Could not extract encoding version for '%s'" % path_key)
                            unpack_code = getattr(self, "_unpack_v%d" % version, None)
                            if unpack_code is None:
                                raise DataException(
                                    "Unknown encoding version %d for '%s'" % (version, path_key))
                        try:
                            blob = unpack_code(f)
                        except Exception as e:
                            raise DataException(
                                "Could not unpack artifact '%s': %s" % (path_key, e))
                yield key, blob

    def _unpack_backward_compatible(self, blob):
        return self._unpack_v1(blob)

    def _unpack_v1(self, blob):
        with gzip.GzipFile(fileobj=blob, mode="rb") as f:
            return f.read()
