"""A named Metaflow source tree: where its ``metaflow`` package is, which revision it came
from, and its generation (read from its code)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from metaflow_trees.generation import Generation, GenerationError, detect
from metaflow_trees.materialise import MaterialiseError, materialise


class TreeError(Exception):
    """A tree that cannot be found, extracted or recognised (one-line message)."""


@dataclass(frozen=True)
class Tree:
    name: str
    path: str                   # the folder holding the metaflow package
    generation: Generation
    rev: str | None = None      # as given (a tag, a branch, a commit)
    commit: str | None = None   # the commit it resolved to

    def to_json(self) -> dict:
        return {"name": self.name, "path": self.path, "rev": self.rev, "commit": self.commit,
                "generation": self.generation.to_json()}


def from_path(name: str, path: str) -> Tree:
    """The tree in ``path`` (a folder holding a ``metaflow`` package, as ``git archive REV
    metaflow`` extracts it)."""
    path = os.path.abspath(path)
    try:
        return Tree(name, path, detect(path))
    except GenerationError as exc:
        raise TreeError("%s: %s" % (name, exc)) from None


def from_rev(name: str, repo: str, rev: str, cache_dir: str | None = None) -> Tree:
    """The tree of revision ``rev`` of the Metaflow clone ``repo``, extracted into the cache."""
    try:
        path, commit = materialise(repo, rev, cache_dir)
        return Tree(name, path, detect(path), rev=rev, commit=commit)
    except (MaterialiseError, GenerationError, OSError) as exc:
        raise TreeError("%s: %s" % (name, exc)) from None
