"""LegacyNoSidecar: blobs without a sidecar, as datastores older than the sidecar wrote them."""

from casblob_fixtures.case import Case, ok, sha1
from casblob_fixtures.payloads import KIB, metrics_dict, small_dict, text
from casblob_fixtures.producers import gzip_cli, python_gzip

TYPE = "LegacyNoSidecar"
COMMENT = "no <key>_meta file: the payload is gzip (pre-sidecar datastores)"

OLD_MTIME = 1575158400  # 2019-12-01T00:00:00Z


def cases():
    out = []

    def add(name, blob, content, comment, producer="python-gzip", flags=()):
        out.append(Case(name, comment, blob, None, content, ok(), producer=producer,
                        flags=["NoSidecar", *flags]))

    d = small_dict()
    add("y_nosidecar_python_level3_small_dict", python_gzip(d), d, "gzip level 3 from Python with no sidecar")
    add("y_nosidecar_python_fname_mtime_small_dict", python_gzip(d, mtime=OLD_MTIME, filename=sha1(d)), d,
        "gzip level 3 with FNAME (the key, as gzip.GzipFile(filename=...) writes it) and a 2019 MTIME, no sidecar", flags=["FNAME"])
    add("y_nosidecar_python_level3_metrics_dict", python_gzip(metrics_dict(), mtime=OLD_MTIME), metrics_dict(), "metrics dict, 2019 MTIME, no sidecar")
    add("y_nosidecar_python_level3_text_64k", python_gzip(text(64 * KIB)), text(64 * KIB), "64 KiB text, no sidecar")
    add("y_nosidecar_python_level3_empty_content", python_gzip(b""), b"", "gzip of empty content (20 bytes), no sidecar")
    add("y_nosidecar_gzip_cli_level3_no_name", gzip_cli(d, "-3", "-n"), d, "`gzip -3 -c -n`, no sidecar", producer="gzip-cli", flags=["GzipCli"])
    add("y_nosidecar_gzip_cli_level3_with_name", gzip_cli(d, "-3", filename="artifact.pkl"), d,
        "`gzip -3 -c FILE` with FNAME and MTIME, no sidecar", producer="gzip-cli", flags=["GzipCli", "FNAME"])
    return out
