"""ValidV1: blobs written as released Metaflow writes them (gzip, sidecar cas_version 1), and
other conforming gzip producers (other levels, the gzip CLI)."""

from casblob_fixtures.case import Case, META_V1, ok
from casblob_fixtures.payloads import (KIB, MIB, float64_normal, float64_smooth, metrics_dict, random_bytes,
                                       small_dict, text, utf8_text)
from casblob_fixtures.producers import gzip_cli, python_gzip

TYPE = "ValidV1"
COMMENT = "v1 blobs as released Metaflow writes them (gzip level 3, sidecar cas_version 1) and other conforming gzip writers"


def cases():
    out = []

    def py(name, content, comment, level=3, flags=(), **kw):
        out.append(Case(name, comment, python_gzip(content, level=level, **kw), META_V1, content, ok(),
                        producer="python-gzip", flags=["MetaflowWriter"] if level == 3 else list(flags)))

    py("y_v1_python_level3_small_dict", small_dict(), "pickled small dict (protocol 4), exactly what Metaflow writes except the fixed MTIME")
    py("y_v1_python_level3_metrics_dict", metrics_dict(), "pickled metrics dict (lists of floats)")
    py("y_v1_python_level3_float64_normal_1k", float64_normal(1000), "1000 float64 from numpy's seeded normal generator (raw array bytes): barely compressible")
    py("y_v1_python_level3_float64_smooth_32k", float64_smooth(32 * KIB), "32768 float64 of a smooth integer-valued signal: very compressible")
    py("y_v1_python_level3_random_4k", random_bytes(4 * KIB), "4 KiB of seeded random bytes: deflate stored/incompressible path")
    py("y_v1_python_level3_text_16k", text(16 * KIB), "16 KiB of ASCII log text")
    py("y_v1_python_level3_utf8_text", utf8_text(), "UTF-8 text with multi-byte characters")
    py("y_v1_python_level3_empty", b"", "empty content: a 20-byte gzip member whose deflate stream is one empty final block")
    py("y_v1_python_level3_one_byte", b"\x2a", "one byte of content")
    for n, tag in ((64 * KIB - 1, "64k_minus_1"), (64 * KIB, "64k"), (64 * KIB + 1, "64k_plus_1")):
        py("y_v1_python_level3_text_" + tag, text(n, seed=n), "%d bytes of log text (64 KiB boundary)" % n)
    py("y_v1_python_level3_random_64k_plus_1", random_bytes(64 * KIB + 1, seed=64 * KIB + 1), "65537 seeded random bytes: deflate falls back to stored blocks")
    py("y_v1_python_level3_float64_smooth_4mib", float64_smooth(512 * KIB), "multi-MB case: 4 MiB (524288 float64) of a smooth integer-valued signal")
    py("y_v1_python_level1_text_16k", text(16 * KIB), "gzip level 1 (XFL 4): any deflate level is valid v1", level=1, flags=["NonDefaultLevel"])
    py("y_v1_python_level6_text_16k", text(16 * KIB), "gzip level 6 (XFL 0): any deflate level is valid v1", level=6, flags=["NonDefaultLevel"])
    py("y_v1_python_level9_text_16k", text(16 * KIB), "gzip level 9 (XFL 2): any deflate level is valid v1", level=9, flags=["NonDefaultLevel"])
    py("y_v1_python_level0_text_16k", text(16 * KIB), "gzip level 0: deflate stored blocks only", level=0, flags=["NonDefaultLevel"])
    py("y_v1_python_level3_mtime_zero", small_dict(), "MTIME 0 (no time stamp): the reader ignores MTIME", mtime=0, flags=["MetaflowWriter"])
    py("y_v1_python_level3_zeros_1mib", bytes(MIB), "1 MiB of zero bytes: long matches, ratio about 1:250 at level 3")

    def cli(name, content, comment, *args, filename=None):
        out.append(Case(name, comment, gzip_cli(content, *args, filename=filename), META_V1, content, ok(),
                        producer="gzip-cli", flags=["GzipCli"]))

    cli("y_v1_gzip_cli_level3_no_name", small_dict(), "`gzip -3 -c -n` (GNU gzip 1.12): MTIME 0, OS 3, no FNAME", "-3", "-n")
    cli("y_v1_gzip_cli_level3_with_name", small_dict(), "`gzip -3 -c FILE` (GNU gzip 1.12): FNAME 'artifact.pkl' and the file's MTIME", "-3", filename="artifact.pkl")
    cli("y_v1_gzip_cli_level9_text_64k", text(64 * KIB), "`gzip -9 -c -n`: XFL 2", "-9", "-n")
    cli("y_v1_gzip_cli_level1_text_64k", text(64 * KIB), "`gzip -1 -c -n`: XFL 4", "-1", "-n")
    return out
