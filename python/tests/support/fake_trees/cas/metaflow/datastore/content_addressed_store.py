"""The CAS-era store (Metaflow 2.4+ as released): v1 = gzip level 3, raw blobs stored as given,
each with its sidecar. The read path dispatches on the
sidecar in the released order: raw first, no sidecar = gzip, a missing version or an unknown
_unpack_v<N> is a DataException, a decoder's exception is wrapped in one."""

import gzip
from hashlib import sha1
from io import BytesIO

from .exceptions import DataException


class _Saved(object):
    def __init__(self, uri, key):
        self.uri = uri
        self.key = key


class ContentAddressedStore(object):
    def __init__(self, prefix, storage_impl):
        self._prefix = prefix
        self._storage_impl = storage_impl

    def _path(self, key):
        return self._storage_impl.path_join(self._prefix, key[:2], key)

    def save_blobs(self, blob_iter, raw=False, len_hint=0):
        results = []

        def to_store():
            for blob in blob_iter:
                key = sha1(blob).hexdigest()
                path = self._path(key)
                results.append(_Saved(self._storage_impl.full_uri(path) if raw else None, key))
                if self._storage_impl.is_file([path])[0]:
                    continue
                meta = {"cas_raw": raw, "cas_version": 1}
                yield path, (BytesIO(blob) if raw else self._pack_v1(blob), meta)

        self._storage_impl.save_bytes(to_store(), overwrite=True, len_hint=len_hint)
        return results

    def load_blobs(self, keys, force_raw=False):
        with self._storage_impl.load_bytes([self._path(k) for k in keys]) as loaded:
            for path, file_path, meta in loaded:
                key = self._storage_impl.path_split(path)[-1]
                with open(file_path, "rb") as f:
                    if force_raw or (meta and meta.get("cas_raw", False)):
                        yield key, f.read()
                        continue
                    if meta is None:
                        unpack = self._unpack_backward_compatible
                    else:
                        version = meta.get("cas_version", -1)
                        if version == -1:
                            raise DataException("Could not extract encoding version for '%s'" % path)
                        unpack = getattr(self, "_unpack_v%d" % version, None)
                        if unpack is None:
                            raise DataException("Unknown encoding version %d for '%s'" % (version, path))
                    try:
                        blob = unpack(f)
                    except Exception as e:
                        raise DataException("Could not unpack artifact '%s': %s" % (path, e))
                yield key, blob

    def _unpack_backward_compatible(self, f):
        return self._unpack_v1(f)

    def _pack_v1(self, blob):
        buf = BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=3) as g:
            g.write(blob)
        buf.seek(0)
        return buf

    def _unpack_v1(self, f):
        with gzip.GzipFile(fileobj=f, mode="rb") as g:
            return g.read()
