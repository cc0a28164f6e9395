from ..exception import MetaflowException


class DataException(MetaflowException):
    headline = "Data store error"
