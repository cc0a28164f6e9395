import gzip
import os
from tempfile import NamedTemporaryFile

from .datastore import MetaflowDataStore, only_if_not_done


class LocalDataStore(MetaflowDataStore):
    TYPE = "local"

    def object_path(self, sha):
        return os.path.join(self.data_root, sha[:2], sha)

    @only_if_not_done
    def save_data(self, sha, transformable_object):
        path = self.object_path(sha)
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with NamedTemporaryFile(dir=os.path.dirname(path), prefix="blobtmp.", delete=False) as tmp:
                with gzip.GzipFile(fileobj=tmp, mode="wb", compresslevel=3) as f:
                    f.write(transformable_object.current())
            os.rename(tmp.name, path)
        return path

    def load_data(self, sha):
        with gzip.open(self.object_path(sha), "rb") as f:
            return f.read()
