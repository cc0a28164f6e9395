"""The pre-CAS datastore (Metaflow 2.0-2.3) as far as blobs go: content-addressed gzip files
named by the SHA-1 of the pickled bytes, no sidecar, and no clean error around a bad read."""

from ..exception import MetaflowException


class DataException(MetaflowException):
    headline = "Data store error"


class TransformableObject(object):
    def __init__(self, current_object):
        self._object = current_object

    def current(self):
        return self._object


def only_if_not_done(f):
    def method(self, *args, **kwargs):
        if self._is_done_set:
            raise MetaflowException("Tried to write to datastore after it was marked done")
        return f(self, *args, **kwargs)

    return method


class MetaflowDataStore(object):
    datastore_root = None

    def __init__(self, flow_name, run_id=None, step_name=None, task_id=None, mode="r", metadata=None):
        if self.datastore_root is None:
            raise DataException("Datastore root not found.")
        self._is_done_set = False
        self.data_root = "/".join([self.datastore_root, flow_name, "data"])
