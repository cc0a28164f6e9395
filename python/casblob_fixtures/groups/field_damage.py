"""FieldDamage: blobs as real Metaflow deployments damaged them, each case citing the issue or
pull request where the damage was made or found (``references``).

* 2.9.5-2.19.19 S3Storage.save_bytes on the put_many path (more than 10 blobs in one save)
  shifted the metadata into S3PutObject's new ``encryption`` field (#1436 added it, #2932 fixed
  the tuple in 2.19.20): the objects were uploaded without their sidecar;
* Apple Silicon CPython wrote gzip members of 2^31 bytes or more with a wrong CRC32 while the
  deflate data stayed intact (Metaflow #1229; CPython #100260, #105967): a small member with a
  wrong CRC32 stands for it here, ``casblob_fixtures.field_crc`` writes a real >= 2 GiB one;
* before 2.2.1 a retried S3 upload could write a 0-byte object (#288);
* spin's transfer path (#2506, 2.19.0) stores whatever the source's load_blobs returned, raw,
  under ``{"cas_raw": true, "cas_version": 1}``, and never checks the SHA-1;
* LocalStorage (#580, 2.4.0) names both its metadata folder (``_meta``) and a blob's sidecar
  (``<key>_meta``) with the same suffix: a walker that strips ``_meta`` finds a key ``""``.
"""

import json
import zlib

from casblob_fixtures.builders.gzip_member import gzip_member
from casblob_fixtures.case import META_RAW_V1, META_V1, Case, err, ok
from casblob_fixtures.payloads import KIB, metrics_dict, small_dict, text
from casblob_fixtures.producers import python_gzip, python_lz4

TYPE = "FieldDamage"
COMMENT = "damage found in real stores (S3 put_many without sidecars, Apple Silicon CRC32, 0-byte S3 objects, spin's raw transfers, _meta folders), each citing its issue or pull request"

PUT_MANY = ["Netflix/metaflow#1436", "Netflix/metaflow#2932"]
APPLE_CRC = ["Netflix/metaflow#1229", "python/cpython#100260", "python/cpython#105967"]
S3_RETRY = ["Netflix/metaflow#288"]
SPIN = ["Netflix/metaflow#2506"]


def wrong_crc_member(content: bytes) -> bytes:
    """A gzip member whose deflate data and ISIZE are right and whose CRC32 is not: the CRC of
    the first half of the content, as a CRC routine that stops early would leave it."""
    return gzip_member(content, crc=zlib.crc32(content[: len(content) // 2]))


def meta_folder_file() -> bytes:
    # What Metaflow's local metadata provider keeps in a `_meta` folder (`_self.json`).
    return json.dumps({"_self": {"flow_id": "FieldDamageFlow", "ts_epoch": 1764115200000}}).encode()


def cases():
    out = []
    d, m, t = small_dict(), metrics_dict(), text(16 * KIB)

    def add(name, blob, sidecar, content, strict, comment, references, producer="handcrafted", flags=(), **kw):
        out.append(Case(name, comment, blob, sidecar, content, strict, producer=producer, flags=list(flags),
                        references=list(references), **kw))

    add("y_field_s3_put_many_v1_sidecar_dropped", python_gzip(m), None, m, ok(),
        "a v1 blob uploaded without metaflow-user-attributes: S3Storage.save_bytes on the put_many path "
        "(more than 10 blobs per save) of 2.9.5-2.19.19 put the metadata into S3PutObject's new encryption field; "
        "gzip is implied, so every reader still reads it",
        PUT_MANY, producer="python-gzip", flags=["LostSidecar", "NoSidecar", "MetaflowWriter"])
    add("n_field_s3_put_many_v2_sidecar_dropped", python_lz4(m), None, m, err("format_mismatch"),
        "the same upload path writing v2 (PR #3090 on a 2.9.5-2.19.19 base): an lz4 frame without sidecar, "
        "which every reader takes for gzip",
        PUT_MANY + ["Netflix/metaflow#3090"], producer="python-lz4", flags=["LostSidecar", "NoSidecar", "PR3090Writer"])
    add("n_field_gzip_crc32_wrong_deflate_intact", wrong_crc_member(t), META_V1, t, err("corrupt", "checksum"),
        "a v1 member whose CRC32 is wrong while its deflate data and ISIZE are intact, as Apple Silicon CPython "
        "wrote members of 2^31 bytes or more (`casblob_fixtures.field_crc` writes such a one)",
        APPLE_CRC, flags=["ChecksumError", "RecoverableDamage"])
    add("n_field_s3_retry_zero_byte_object", b"", None, d, err("corrupt", "truncated"),
        "a 0-byte object under the key of a pickled dict, as a retried S3 upload of 2.0.0-2.2.0 left it "
        "(the buffer was not rewound); no sidecar (a pre-CAS writer)",
        S3_RETRY, flags=["EmptyFile", "NoSidecar"])
    add("y_field_spin_transfer_raw", d, META_RAW_V1, d, ok(),
        "a blob copied by spin's transfer path: the content stored decompressed under "
        "{\"cas_raw\": true, \"cas_version\": 1}",
        SPIN, producer="python-raw", flags=["RawBlob"])
    add("n_field_spin_transfer_of_wrong_bytes", python_gzip(d), META_RAW_V1, d, err("key_mismatch"),
        "spin's transfer of a blob its source misread (sidecar {\"cas_raw\": \"false\", ...}: the gzip bytes "
        "returned as content), stored raw under the content's key without a SHA-1 check: the damage now looks "
        "like a well-formed raw blob",
        SPIN, producer="python-gzip", flags=["RawBlob", "LooksCompressed"])
    add("y_field_meta_folder_beside_sidecar", python_gzip(d), META_V1, d, ok(),
        "a v1 blob and its <key>_meta beside a `_meta` folder (otherFiles), the name LocalStorage gives metadata "
        "folders and skips when listing: a store walker that strips `_meta` must not take the folder for the "
        "sidecar of a key \"\"",
        ["Netflix/metaflow#580"], producer="python-gzip", flags=["MetaflowWriter", "MetaFolder"])
    # The `_meta` folder lies beside the blob and its sidecar, in their <kk> folder.
    folder = out[-1]
    folder.other_files = {folder.key[:2] + "/_meta/_self.json": meta_folder_file()}
    return out
