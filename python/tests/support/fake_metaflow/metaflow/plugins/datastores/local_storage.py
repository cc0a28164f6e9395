import json
import os


class _CloseAfterUse(object):
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

    @classmethod
    def path_join(cls, *components):
        if not components:
            return ""
        first = components[0].rstrip("/")
        return "/".join([first] + [c.strip("/") for c in components[1:]])

    @classmethod
    def path_split(cls, path):
        return path.split("/")

    def full_uri(self, path):
        return self.path_join(self.datastore_root, path)

    def load_bytes(self, paths):
        def iter_results():
            for path in paths:
                full_path = self.full_uri(path)
                metadata = None
                if os.path.exists(full_path):
                    if os.path.exists("%s_meta" % full_path):
                        with open("%s_meta" % full_path, mode="r") as f:
                            metadata = json.load(f)
                    yield path, full_path, metadata
                else:
                    yield path, None, None

        return _CloseAfterUse(iter_results())
