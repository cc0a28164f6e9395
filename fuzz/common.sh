# Sourced by fuzz/run-ci and fuzz/campaign.
FUZZ_HARNESSES=(decode_blob_fuzzer gzip_reader_fuzzer lz4_reader_fuzzer meta_parser_fuzzer roundtrip_fuzzer differential_fuzzer)
FUZZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_BUILD="$FUZZ_ROOT/build-fuzz"
# UBSan findings must stop the run (the preset's -fsanitize=undefined recovers by default).
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"

fuzz_dict() {
  case "$1" in
    gzip_reader_fuzzer) echo "$FUZZ_ROOT/fuzz/dict/gzip.dict" ;;
    lz4_reader_fuzzer) echo "$FUZZ_ROOT/fuzz/dict/lz4.dict" ;;
    meta_parser_fuzzer) echo "$FUZZ_ROOT/fuzz/dict/json.dict" ;;
    differential_fuzzer) echo "$FUZZ_ROOT/fuzz/dict/gzip.dict" ;;
    decode_blob_fuzzer) echo "$FUZZ_BUILD/fuzz/all.dict" ;;
    roundtrip_fuzzer) echo "" ;;
  esac
}

# Configures and builds the `fuzz` preset (clang-14 + libFuzzer + ASan + UBSan), harnesses only.
fuzz_build() {
  cd "$FUZZ_ROOT"
  if [ ! -f "$FUZZ_BUILD/CMakeCache.txt" ]; then
    cmake --preset fuzz >"${TMPDIR:-/tmp}/casblob-fuzz-configure.log" 2>&1 || {
      cat "${TMPDIR:-/tmp}/casblob-fuzz-configure.log" >&2
      return 1
    }
  fi
  cmake --build "$FUZZ_BUILD" -j2 --target "${FUZZ_HARNESSES[@]}" >/dev/null || return 1
  cat fuzz/dict/gzip.dict fuzz/dict/lz4.dict fuzz/dict/json.dict >"$FUZZ_BUILD/fuzz/all.dict"
}
