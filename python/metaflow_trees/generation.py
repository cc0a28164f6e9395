"""Which generation of Metaflow's datastore a source tree holds, read from its code (never by
importing it: a tree that does not import here is still recognised, and says why it fails).

| generation | recognised by | reads through | writes through |
|---|---|---|---|
| ``pre-cas`` (2.0-2.3) | no ``datastore/content_addressed_store.py``; ``LocalDataStore`` with ``load_data`` in ``datastore/local.py`` | ``LocalDataStore.load_data`` (always gunzips, never reads a sidecar) | ``LocalDataStore.save_data`` (gzip, no sidecar) |
| ``cas`` (2.4+) | ``ContentAddressedStore`` with ``load_blobs`` and ``save_blobs``, no ``_unpack_v2`` | ``ContentAddressedStore.load_blobs`` over ``LocalStorage`` | ``ContentAddressedStore.save_blobs`` |
| ``v2`` (PR #3090 and later) | the same, plus ``_unpack_v2`` | the same | the same |

Beyond the name, the generation records the encoding versions the store decodes (its
``_unpack_v<N>`` methods), where ``LocalStorage`` and ``DataException`` live in this tree (they
moved between releases), and every third-party module the store module imports, with how: at
module level (``module``: without it the datastore does not import at all, PR #3090's ``import
lz4.frame``), guarded by ``try/except ImportError`` at module level (``optional``), or inside a
function (``lazy``: spec R-PROF-3)."""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass

PRE_CAS, CAS, V2 = "pre-cas", "cas", "v2"
# The reader profile (spec section 7) each generation is expected to behave as.
PROFILE = {PRE_CAS: "pre-cas", CAS: "legacy", V2: "v2"}

CAS_MODULE = "metaflow.datastore.content_addressed_store"
PRE_CAS_MODULE = "metaflow.datastore.local"
# LocalStorage moved from metaflow/datastore/ to metaflow/plugins/datastores/ during 2.x.
STORAGE_MODULES = ("metaflow.plugins.datastores.local_storage", "metaflow.datastore.local_storage")
# DataException: datastore/exceptions.py from 2.4, datastore/datastore.py before.
EXCEPTION_MODULES = ("metaflow.datastore.exceptions", "metaflow.datastore.datastore")


class GenerationError(Exception):
    """The folder holds no Metaflow datastore this package recognises (one-line message)."""


@dataclass(frozen=True)
class CodecImport:
    module: str          # top-level name, e.g. "lz4"
    how: str             # "module" | "optional" | "lazy"


@dataclass(frozen=True)
class Generation:
    name: str                           # PRE_CAS, CAS or V2
    versions: tuple[int, ...]           # cas_versions the store decodes (pre-cas: (1,), gzip only)
    store_module: str                   # where the read/write path lives
    storage_module: str | None          # LocalStorage (CAS-era only)
    exception_module: str               # where this tree's DataException is defined
    codecs: tuple[CodecImport, ...] = ()
    version: str | None = None          # metaflow/version.py, when the tree has one

    @property
    def profile(self) -> str:
        return PROFILE[self.name]

    @property
    def reader(self) -> str:
        return "LocalDataStore.load_data" if self.name == PRE_CAS else "ContentAddressedStore.load_blobs"

    @property
    def writes_raw(self) -> bool:
        return self.name != PRE_CAS  # the pre-CAS datastore has no raw blobs

    def required_codecs(self) -> tuple[str, ...]:
        """Third-party modules without which the datastore module does not import."""
        return tuple(c.module for c in self.codecs if c.how == "module")

    def describe(self) -> str:
        text = "%s (%s)" % (self.name, self.reader)
        if self.codecs:
            text += ", imports " + ", ".join("%s %s" % (c.module, c.how) for c in self.codecs)
        return text

    def to_json(self) -> dict:
        return {"name": self.name, "profile": self.profile, "versions": list(self.versions),
                "reader": self.reader, "store_module": self.store_module,
                "storage_module": self.storage_module, "exception_module": self.exception_module,
                "codecs": [{"module": c.module, "how": c.how} for c in self.codecs],
                "version": self.version}


def _module_file(tree: str, module: str) -> str:
    return os.path.join(tree, *module.split(".")) + ".py"


def _parse(path: str) -> ast.Module:
    try:
        with open(path, "rb") as f:
            return ast.parse(f.read(), filename=path)
    except (OSError, SyntaxError, ValueError) as exc:
        raise GenerationError("cannot read %s: %s" % (path, exc)) from None


def _class_methods(module: ast.Module, name: str) -> set[str] | None:
    for node in module.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return None


def _defines(tree: str, module: str, class_name: str) -> bool:
    path = _module_file(tree, module)
    return os.path.isfile(path) and _class_methods(_parse(path), class_name) is not None


def _third_party(name: str | None) -> str | None:
    top = (name or "").split(".")[0]
    if not top or top == "metaflow" or top in sys.stdlib_module_names:
        return None
    return top


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = []
    for t in (handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]):
        if isinstance(t, ast.Name):
            names.append(t.id)
    return handler.type is None or bool({"ImportError", "ModuleNotFoundError", "Exception"} & set(names))


def codec_imports(module: ast.Module) -> tuple[CodecImport, ...]:
    """Third-party imports of a module, each with how it is imported (the strictest wins)."""
    found: dict[str, str] = {}
    rank = {"lazy": 0, "optional": 1, "module": 2}

    def note(node, how):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            ([] if node.level else [node.module])
        for name in names:
            top = _third_party(name)
            if top and rank[how] >= rank.get(found.get(top, "lazy"), 0):
                found[top] = how

    def walk(body, how):
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                note(node, how)
            elif isinstance(node, ast.Try):
                guarded = "optional" if how == "module" and any(map(_catches_import_error, node.handlers)) else how
                walk(node.body, guarded)
                for h in node.handlers:
                    walk(h.body, how)
                walk(node.orelse + node.finalbody, how)
            elif isinstance(node, (ast.If, ast.With)):
                walk(node.body, how)
                walk(getattr(node, "orelse", []), how)
            else:  # functions, classes, anything else: imports inside run when called
                for child in ast.walk(node):
                    if isinstance(child, (ast.Import, ast.ImportFrom)):
                        note(child, "lazy")

    walk(module.body, "module")
    return tuple(CodecImport(m, how) for m, how in sorted(found.items()))


def _version(tree: str) -> str | None:
    path = os.path.join(tree, "metaflow", "version.py")
    try:
        with open(path, encoding="utf-8") as f:
            m = re.search(r"""metaflow_version\s*=\s*["']([^"']+)["']""", f.read())
    except OSError:
        return None
    return m.group(1) if m else None


def detect(tree: str) -> Generation:
    """The generation of the ``metaflow`` package in ``tree`` (a folder holding it). Raises
    GenerationError when there is no such package or no datastore this module knows."""
    if not os.path.isfile(os.path.join(tree, "metaflow", "__init__.py")):
        raise GenerationError("no metaflow package in %s" % tree)
    exception_module = next((m for m in EXCEPTION_MODULES if _defines(tree, m, "DataException")), None)
    if exception_module is None:
        raise GenerationError("%s: no DataException in metaflow/datastore/" % tree)
    cas_path = _module_file(tree, CAS_MODULE)
    if os.path.isfile(cas_path):
        module = _parse(cas_path)
        methods = _class_methods(module, "ContentAddressedStore") or set()
        if not {"load_blobs", "save_blobs"} <= methods:
            raise GenerationError("%s: ContentAddressedStore without load_blobs/save_blobs" % cas_path)
        storage = next((m for m in STORAGE_MODULES if _defines(tree, m, "LocalStorage")), None)
        if storage is None:
            raise GenerationError("%s: no LocalStorage in metaflow/plugins/datastores/ or metaflow/datastore/" % tree)
        versions = tuple(sorted(int(m[len("_unpack_v"):]) for m in methods if re.fullmatch(r"_unpack_v\d+", m)))
        name = V2 if 2 in versions else CAS
        return Generation(name, versions, CAS_MODULE, storage, exception_module, codec_imports(module),
                          _version(tree))
    pre_path = _module_file(tree, PRE_CAS_MODULE)
    if os.path.isfile(pre_path) and "load_data" in (_class_methods(_parse(pre_path), "LocalDataStore") or ()):
        return Generation(PRE_CAS, (1,), PRE_CAS_MODULE, None, exception_module, (), _version(tree))
    raise GenerationError("%s: neither a ContentAddressedStore nor a pre-CAS LocalDataStore" % tree)
