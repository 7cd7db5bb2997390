#!/usr/bin/env bash
# Creates .venv with Python 3.10 unless a working one is already there.
set -eu
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)'; then
  exit 0
fi
PY=$(bash scripts/find_python310.sh) || exit 1
echo "Creating .venv with $PY"
rm -rf .venv
"$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade "pip==24.0"
