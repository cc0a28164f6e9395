#!/usr/bin/env bash
# ctest "install: ..." (reference/tests/CMakeLists.txt): builds tests/consumer against casblob
#   check.sh install BUILD_DIR        cmake --install into a temporary prefix, then find_package,
#                                     then pkg-config
#   check.sh subdirectory SOURCE_DIR  add_subdirectory of the source tree
# and runs the consumer, which must print the version and the key of "hello, metaflow\n".
set -euo pipefail
mode=$1 arg=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expect="3e9e353bb1f4e52b01c73deea1925217ad845fd3"
case $mode in
  install)
    cmake --install "$arg" --prefix "$work/prefix" >/dev/null
    test -f "$work/prefix/include/casblob/version.hpp"
    test ! -e "$work/prefix/include/casblob/../../src"   # no internal header installed
    cmake -S "$here" -B "$work/b" -DCASBLOB_VIA=find_package -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
    cmake --build "$work/b" >/dev/null
    "$work/b/consumer" | tee "$work/out"
    grep -q "$expect" "$work/out"
    # The same program through pkg-config alone.
    export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
    # shellcheck disable=SC2046
    g++ -std=c++20 "$here/main.cpp" -o "$work/pc-consumer" $(pkg-config --cflags --libs --static casblob)
    "$work/pc-consumer" | grep -q "$expect"
    ;;
  subdirectory)
    cmake -S "$here" -B "$work/b" -DCASBLOB_VIA=subdirectory -DCASBLOB_SOURCE_DIR="$arg" >/dev/null
    cmake --build "$work/b" -j2 >/dev/null
    "$work/b/consumer" | tee "$work/out"
    grep -q "$expect" "$work/out"
    # A subproject builds the library only: no CLI, tests, fuzzers or benchmarks.
    test ! -e "$work/b/bin/casblob"
    ;;
  *) echo "usage: check.sh install BUILD_DIR | subdirectory SOURCE_DIR" >&2; exit 2 ;;
esac
echo "consumer ($mode): ok"
