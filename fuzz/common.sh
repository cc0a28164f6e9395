# Sourced by fuzz/run-ci and fuzz/campaign.
FUZZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_BUILD="$FUZZ_ROOT/build-fuzz"
# UBSan findings must stop the run (the preset's -fsanitize=undefined recovers by default).
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"

# fuzz/harnesses: the harnesses, and the dictionaries each runs with.
FUZZ_HARNESSES=()
while read -r h _; do FUZZ_HARNESSES+=("$h"); done < <(grep -E '^[a-z]' "$FUZZ_ROOT/fuzz/harnesses")

# The folder of harness $1's inputs under fuzz/corpus/ and fuzz/regression/.
fuzz_inputs() { awk -v h="$1" '$1 == h { print $2 }' "$FUZZ_ROOT/fuzz/harnesses"; }

# The dictionary file of harness $1 (built by fuzz_build), or nothing.
fuzz_dict() {
  local dicts
  dicts=$(awk -v h="$1" '$1 == h { $1 = $2 = ""; print }' "$FUZZ_ROOT/fuzz/harnesses" | xargs)
  [ -n "$dicts" ] && [ "$dicts" != - ] && echo "$FUZZ_BUILD/fuzz/$1.dict"
  return 0
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
  fuzz_write_dicts "$FUZZ_BUILD/fuzz"
}

# Writes <dir>/<harness>.dict for every harness that has dictionaries (fuzz/harnesses).
fuzz_write_dicts() {
  local h inputs dicts d
  while read -r h inputs dicts; do
    [ "$dicts" = - ] && continue
    : >"$1/$h.dict"
    for d in $dicts; do cat "$FUZZ_ROOT/fuzz/dict/$d.dict" >>"$1/$h.dict"; done
  done < <(grep -E '^[a-z]' "$FUZZ_ROOT/fuzz/harnesses")
}

# One summary line, the format of fuzz/campaign and fuzz/peers: name, seconds, executions,
# the last libFuzzer status line (INITED/DONE: cov, ft, corp), findings.
fuzz_summary_line() {
  local cov ft corp
  cov=$(sed -nE 's/.*cov: ([0-9]+).*/\1/p' <<<"$4")
  ft=$(sed -nE 's/.*ft: ([0-9]+).*/\1/p' <<<"$4")
  corp=$(sed -nE 's/.*corp: ([0-9]+\/[0-9a-zA-Z]+).*/\1/p' <<<"$4")
  printf '%-22s %4ss %9s execs %7s exec/s  cov: %-5s ft: %-6s corp: %-12s findings: %s\n' \
    "$1" "$2" "$3" "$(($3 / ($2 ? $2 : 1)))" "$cov" "$ft" "$corp" "$5"
}
