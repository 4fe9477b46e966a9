#!/usr/bin/env bash
# Writes the client package generated from SPEC into OUT (replacing OUT).
# Usage: scripts/generate_client.sh SPEC OUT
# Run through `make generate` / `make check-generated`, which put the pinned tools on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=$1
out=$2
rm -rf "$out"
mkdir -p "$(dirname "$out")"
openapi-python-client generate \
  --path "$spec" \
  --config "$root/openapi/generator-config.yaml" \
  --custom-template-path "$root/openapi/templates" \
  --meta none \
  --output-path "$out" \
  --fail-on-warning >/dev/null
# The package's version is the spec's info.version, so callers can tell which contract they hold.
version=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["info"]["version"])' "$spec")
printf '\n__version__ = "%s"  # info.version of the spec it was generated from\n' "$version" >> "$out/__init__.py"
# PEP 561: the client is typed, and says so to its users' type checkers.
: > "$out/py.typed"
# The spec itself, as JSON, travels with the client: `ims` checks requests against its schemas.
python -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2], "w"), indent=1, sort_keys=True, ensure_ascii=False); open(sys.argv[2], "a").write("\n")' "$spec" "$out/openapi.json"
