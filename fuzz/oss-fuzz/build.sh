#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script. Uses only the conventional variables:
#   $CXX $CXXFLAGS (sanitizer + -fsanitize=fuzzer-no-link), $LIB_FUZZING_ENGINE (link flag or
#   library), $OUT (binaries, seed corpora, dictionaries), $WORK (objects), $SRC (checkouts).
# Produces $OUT/<harness>, $OUT/<harness>_seed_corpus.zip, $OUT/<harness>.dict.
# Needs: cmake, zlib, liblz4 (>= 1.9), OpenSSL 3, ISA-L and libdeflate headers/libs (static ones are preferred, so the
# binaries run on the base-runner image), nlohmann-json headers.
REPO="${CASBLOB_SRC:-$SRC/casblob}"
[ -d "$REPO/reference" ] || REPO="$(cd "$(dirname "$0")/../.." && pwd)"
JOBS="${JOBS:-$(nproc)}"
BUILD="$WORK/casblob-build"

# The library through its own CMake list (reference/CMakeLists.txt is the one list of its sources
# and options), with the fuzzing compiler and flags; no S3 backend (no network in a fuzzer), no
# CLI, tests, benchmarks or install rules.
cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DCMAKE_CXX_FLAGS_RELEASE="" \
  -DBUILD_SHARED_LIBS=OFF -DCASBLOB_WITH_LZ4=ON -DCASBLOB_WITH_S3=OFF -DCASBLOB_BUILD_CLI=OFF \
  -DCASBLOB_BUILD_TESTS=OFF -DCASBLOB_BUILD_FUZZERS=OFF -DCASBLOB_BUILD_BENCH=OFF -DCASBLOB_INSTALL=OFF
cmake --build "$BUILD" --target casblob -j "$JOBS"
LIBCASBLOB="$BUILD/reference/libcasblob.a"

FLAGS="$CXXFLAGS -std=c++20 -DCASBLOB_WITH_LZ4=1 -I$REPO/reference/include -I$BUILD/reference/include -I$REPO/reference/src -I$REPO/fuzz"

# Third-party libraries: static archives when installed.
LIBS=""
for l in z lz4 crypto isal deflate; do
  a=$(ls /usr/lib/*/lib$l.a /usr/lib/lib$l.a /usr/local/lib/lib$l.a 2>/dev/null | head -1 || true)
  if [ -n "$a" ]; then LIBS="$LIBS $a"; else LIBS="$LIBS -l$l"; fi
done

# fuzz/harnesses: the harnesses and their dictionaries (the one list).
HARNESSES=$(awk '/^[a-z]/ { print $1 }' "$REPO/fuzz/harnesses" | xargs)
for h in $HARNESSES; do echo "$h"; done |
  xargs -P "$JOBS" -I{} sh -c "$CXX $FLAGS \"$REPO/fuzz/{}.cpp\" -o \"$OUT/{}\" $LIB_FUZZING_ENGINE \"$LIBCASBLOB\" $LIBS -ldl -lpthread"

# Seed corpora (committed seeds + regression inputs) and dictionaries.
for h in $HARNESSES; do
  inputs=$(awk -v h="$h" '$1 == h { print $2 }' "$REPO/fuzz/harnesses")
  python3 - "$REPO/fuzz" "$inputs" "$OUT/${h}_seed_corpus.zip" <<'PY'
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
  dicts=$(awk -v h="$h" '$1 == h { $1 = $2 = ""; print }' "$REPO/fuzz/harnesses" | xargs)
  if [ -n "$dicts" ] && [ "$dicts" != - ]; then
    : >"$OUT/$h.dict"
    for d in $dicts; do cat "$REPO/fuzz/dict/$d.dict" >>"$OUT/$h.dict"; done
  fi
done
