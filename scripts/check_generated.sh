#!/usr/bin/env bash
# Regenerates the client from SPEC into a temporary folder and compares it byte for byte with
# CURRENT. Exit 0 when they are the same; otherwise prints the diff and exits 1.
# Usage: scripts/check_generated.sh [SPEC] [CURRENT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=${1:-$root/openapi/ims-data-image.yaml}
current=${2:-$root/generated/ims_client}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/generate_client.sh" "$spec" "$tmp/ims_client"
if ! diff -ru -x __pycache__ "$current" "$tmp/ims_client"; then
  echo >&2
  echo "generated/ims_client does not match $spec: run make generate" >&2
  exit 1
fi
echo "generated/ims_client is current"
