#!/bin/sh
# A command-protocol implementation in shell: wraps the reference CLI, one process per case
# (no batch mode), to show how little an adapter needs. Config: casblob-cli.json.
#   casblob-cli.sh PROFILE KEY MAX_SIZE META|- BLOB
# Prints the CLI's one JSON line and exits with its status (0 ok, 10..20 errors).
set -u
cli=${CASBLOB_CLI:-build/bin/casblob}
profile=$1 key=$2 max=$3 meta=$4 blob=$5
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
if [ "$meta" = "-" ]; then
  "$cli" decode --json --profile "$profile" --key "$key" --max-size "$max" --no-meta "$blob" "$out"
else
  "$cli" decode --json --profile "$profile" --key "$key" --max-size "$max" --meta "$meta" "$blob" "$out"
fi
