#!/usr/bin/env bash
# Runs fuzz/oss-fuzz/build.sh the way OSS-Fuzz's libFuzzer/ASan build does (compile flags of
# the base-builder image with SANITIZER=address + undefined), into temporary OUT/WORK/SRC,
# checks that every harness, seed corpus and dictionary is there, and runs each binary for
# a few seconds (FUZZ_OSS_SECONDS, default 5) on its seed corpus.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/casblob-ossfuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export SRC="$tmp/src" WORK="$tmp/work" OUT="$tmp/out"
mkdir -p "$SRC" "$WORK" "$OUT"
ln -s "$repo" "$SRC/casblob"
export CC=clang-14 CXX=clang++-14
export SANITIZER_FLAGS="-fsanitize=address,undefined -fsanitize-address-use-after-scope -fno-sanitize-recover=undefined"
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $SANITIZER_FLAGS -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export JOBS="${JOBS:-2}"
export PATH="/usr/bin:$PATH"  # build.sh's python3 needs only the standard library
t0=$(date +%s)
(cd "$SRC/casblob" && bash fuzz/oss-fuzz/build.sh)
echo "test-build: build.sh $(($(date +%s) - t0)) s"
status=0
# fuzz/harnesses: every harness, and whether it has dictionaries.
while read -r h _ dicts; do
  for f in "$OUT/$h" "$OUT/${h}_seed_corpus.zip"; do
    [ -s "$f" ] || { echo "test-build: missing $f" >&2; status=1; }
  done
  [ "$dicts" = - ] || [ -s "$OUT/$h.dict" ] || { echo "test-build: missing $OUT/$h.dict" >&2; status=1; }
  seeds="$WORK/seeds-$h"
  mkdir -p "$seeds"
  /usr/bin/python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$OUT/${h}_seed_corpus.zip" "$seeds"
  dict=()
  [ -f "$OUT/$h.dict" ] && dict=(-dict="$OUT/$h.dict")
  if (cd "$WORK" && "$OUT/$h" -max_total_time="${FUZZ_OSS_SECONDS:-5}" -rss_limit_mb=2560 -timeout=25 "${dict[@]}" \
        "$seeds" </dev/null >"$WORK/run-$h.log" 2>&1); then
    echo "test-build: $h ok: $(grep -E '^#[0-9]+' "$WORK/run-$h.log" | tail -1)"
  else
    echo "test-build: $h FAILED:" >&2
    tail -30 "$WORK/run-$h.log" >&2
    status=1
  fi
done < <(grep -E '^[a-z]' "$repo/fuzz/harnesses")
exit $status
