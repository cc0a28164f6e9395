#!/bin/sh
# A command-protocol implementation in shell: wraps the reference CLI ($CASBLOB_CLI, default
# build/bin/casblob), one process per case (no batch mode), to show how little an adapter
# needs. Config: casblob-cli.json.
#   casblob-cli.sh decode PROFILE KEY MAX_SIZE META|- BLOB   one JSON line; exit 0 or 10..20
#   casblob-cli.sh encode VERSION IN OUT                      writes OUT and OUT_meta
set -u
cli=${CASBLOB_CLI:-build/bin/casblob}
case "$1" in
  encode)
    exec "$cli" encode --version "$2" --mtime 0 "$3" "$4" >/dev/null ;;
  decode)
    profile=$2 key=$3 max=$4 meta=$5 blob=$6
    out=$(mktemp) || exit 1
    trap 'rm -f "$out"' EXIT
    if [ "$meta" = "-" ]; then
      "$cli" decode --json --profile "$profile" --key "$key" --max-size "$max" --no-meta "$blob" "$out"
    else
      "$cli" decode --json --profile "$profile" --key "$key" --max-size "$max" --meta "$meta" "$blob" "$out"
    fi ;;
  *)
    echo "usage: casblob-cli.sh decode|encode ..." >&2; exit 2 ;;
esac
