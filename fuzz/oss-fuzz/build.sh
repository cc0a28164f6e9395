#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script. Uses only the conventional variables:
#   $CXX $CXXFLAGS (sanitizer + -fsanitize=fuzzer-no-link), $LIB_FUZZING_ENGINE (link flag or
#   library), $OUT (binaries, seed corpora, dictionaries), $WORK (objects), $SRC (checkouts).
# Produces $OUT/<harness>, $OUT/<harness>_seed_corpus.zip, $OUT/<harness>.dict.
# Needs: zlib, liblz4 (>= 1.9) and OpenSSL 3 headers/libs (static ones are preferred, so the
# binaries run on the base-runner image), nlohmann-json headers.
REPO="${CASBLOB_SRC:-$SRC/casblob}"
[ -d "$REPO/reference" ] || REPO="$(cd "$(dirname "$0")/../.." && pwd)"
JOBS="${JOBS:-$(nproc)}"
OBJ="$WORK/casblob-obj"
mkdir -p "$OBJ" "$OUT"

FLAGS="$CXXFLAGS -std=c++20 -DCASBLOB_WITH_LZ4=1 -I$REPO/reference/include -I$REPO/reference/src -I$REPO/fuzz"

# The library, without the lz4-unavailable stub.
ls "$REPO"/reference/src/*.cpp | grep -v '/lz4_unavailable\.cpp$' |
  xargs -P "$JOBS" -I{} sh -c 'o="$1/$(basename "$2" .cpp).o"; '"$CXX $FLAGS"' -c "$2" -o "$o"' _ "$OBJ" {}
rm -f "$WORK/libcasblob.a"
ar rcs "$WORK/libcasblob.a" "$OBJ"/*.o

# Third-party libraries: static archives when installed.
LIBS=""
for l in z lz4 crypto; do
  a=$(ls /usr/lib/*/lib$l.a /usr/lib/lib$l.a /usr/local/lib/lib$l.a 2>/dev/null | head -1 || true)
  if [ -n "$a" ]; then LIBS="$LIBS $a"; else LIBS="$LIBS -l$l"; fi
done

HARNESSES="decode_blob_fuzzer gzip_reader_fuzzer lz4_reader_fuzzer meta_parser_fuzzer roundtrip_fuzzer differential_fuzzer"
for h in $HARNESSES; do echo "$h"; done |
  xargs -P "$JOBS" -I{} sh -c "$CXX $FLAGS \"$REPO/fuzz/{}.cpp\" -o \"$OUT/{}\" $LIB_FUZZING_ENGINE \"$WORK/libcasblob.a\" $LIBS -ldl -lpthread"

# Seed corpora (committed seeds + regression inputs) and dictionaries.
for h in $HARNESSES; do
  python3 - "$REPO/fuzz" "$h" "$OUT/${h}_seed_corpus.zip" <<'PY'
import os, sys, zipfile
root, h, dest = sys.argv[1:]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
    for sub in ("corpus", "regression"):
        d = os.path.join(root, sub, h)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            p = os.path.join(d, name)
            if os.path.isfile(p) and not name.startswith(".") and not name.startswith("README"):
                z.write(p, f"{sub}-{name}")
PY
  case "$h" in
    gzip_reader_fuzzer|differential_fuzzer) cp "$REPO/fuzz/dict/gzip.dict" "$OUT/$h.dict" ;;
    lz4_reader_fuzzer) cp "$REPO/fuzz/dict/lz4.dict" "$OUT/$h.dict" ;;
    meta_parser_fuzzer) cp "$REPO/fuzz/dict/json.dict" "$OUT/$h.dict" ;;
    decode_blob_fuzzer) cat "$REPO"/fuzz/dict/{gzip,lz4,json}.dict >"$OUT/$h.dict" ;;
  esac
done
