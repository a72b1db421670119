#!/usr/bin/env bash
# Regenerates the Python code for every .proto under proto/ into DEST/mulligan/api
# (DEST defaults to the repo). The proto path is mapped so generated imports read
# `mulligan.api.<svc>.v1`, keeping generated code apart from the hand-written
# `mulligan.<svc>` modules. Files are generated aside and then moved in, so a
# running import never sees a half-empty package.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"
dest="${1:-.}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t protos < <(cd proto/mulligan && find . -name '*.proto' | sed 's|^\./|mulligan/api/|' | sort)
"$python" -m grpc_tools.protoc \
  -Imulligan/api=proto/mulligan \
  --python_out="$work" --pyi_out="$work" --grpc_python_out="$work" \
  "${protos[@]}"
find "$work/mulligan/api" -type d -exec sh -c 'touch "$1/__init__.py"' _ {} \;
echo '"""Generated protobuf and gRPC code. Do not edit: run `make proto`."""' > "$work/mulligan/api/__init__.py"
mkdir -p "$dest/mulligan/api"
(cd "$work/mulligan/api" && find . -type f) | while read -r f; do
  mkdir -p "$(dirname "$dest/mulligan/api/$f")"
  cmp -s "$work/mulligan/api/$f" "$dest/mulligan/api/$f" || cp "$work/mulligan/api/$f" "$dest/mulligan/api/$f.tmp.$$" && \
    { [ ! -e "$dest/mulligan/api/$f.tmp.$$" ] || mv "$dest/mulligan/api/$f.tmp.$$" "$dest/mulligan/api/$f"; }
done
# Drop generated files whose proto is gone.
(cd "$dest/mulligan/api" && find . -type f ! -path '*/__pycache__/*') | while read -r f; do
  [ -e "$work/mulligan/api/$f" ] || rm -f "$dest/mulligan/api/$f"
done
