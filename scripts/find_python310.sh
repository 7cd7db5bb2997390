#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter: first on PATH, then under pyenv.
# Rasa 3.6 (the last Rasa Open Source) runs on Python 3.8-3.10 only.
set -u
is310() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; }
for candidate in python3.10 python3 python; do
  p=$(command -v "$candidate" 2>/dev/null) || continue
  if is310 "$p"; then echo "$p"; exit 0; fi
done
roots=()
if command -v pyenv >/dev/null 2>&1; then roots+=("$(pyenv root)"); fi
roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
for root in "${roots[@]}"; do
  for p in "$root"/versions/3.10*/bin/python3.10; do
    if [ -x "$p" ] && is310 "$p"; then echo "$p"; exit 0; fi
  done
done
cat >&2 <<'MSG'
No Python 3.10 found (Rasa 3.6 needs exactly Python 3.10).
Install one, then run make again, for example:
  - Debian/Ubuntu:  apt-get install python3.10 python3.10-venv   (where the release has it)
  - pyenv:          pyenv install 3.10.13
  - or put any python3.10 on PATH.
MSG
exit 1
