"""LocalStorage as the CAS-era local datastore behaves: the payload at <root>/<path>, the
sidecar beside it as <path>_meta (JSON, read with json.load on a text file)."""

import json
import os


class _Closing(object):
    def __init__(self, data):
        self.data = data

    def __enter__(self):
        return self.data

    def __exit__(self, *exc):
        return False


class LocalStorage(object):
    TYPE = "local"

    def __init__(self, root=None):
        self.datastore_root = root

    @staticmethod
    def path_join(*parts):
        return "/".join([parts[0].rstrip("/")] + [p.strip("/") for p in parts[1:]])

    @staticmethod
    def path_split(path):
        return path.split("/")

    def full_uri(self, path):
        return os.path.join(self.datastore_root, path)

    def is_file(self, paths):
        return [os.path.isfile(self.full_uri(p)) for p in paths]

    def save_bytes(self, items, overwrite=False, len_hint=0):
        for path, obj in items:
            data, meta = obj if isinstance(obj, tuple) else (obj, None)
            target = self.full_uri(path)
            if os.path.exists(target) and not overwrite:
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data.read())
            if meta:
                with open(target + "_meta", "w") as f:
                    json.dump(meta, f)

    def load_bytes(self, paths):
        def results():
            for path in paths:
                target = self.full_uri(path)
                if not os.path.exists(target):
                    yield path, None, None
                    continue
                meta = None
                if os.path.exists(target + "_meta"):
                    with open(target + "_meta") as f:
                        meta = json.load(f)
                yield path, target, meta

        return _Closing(results())
