class MetaflowException(Exception):
    """Metaflow's base exception: the clean errors derive from it."""
