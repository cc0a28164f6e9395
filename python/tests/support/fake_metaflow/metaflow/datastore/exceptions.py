from ..exception import MetaflowException


class DataException(MetaflowException):
    """Metaflow's clean datastore error (a MetaflowException whose str() is its message)."""

    def __init__(self, msg=""):
        super().__init__(msg)
        self.message = msg

    def __str__(self):
        return self.message
