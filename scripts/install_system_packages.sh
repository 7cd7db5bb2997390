#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those that are missing:
# chromium for the browser tests, pango for PDF rendering, poppler-utils to look
# at printed pages, npm to install axe-core for the accessibility tests (Makefile). Needs root (or sudo); does nothing when all are present.
set -eu
packages=(chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm: any working one will do (a machine with Node.js from elsewhere has npm but not Debian's
# package, and Debian's npm then conflicts with that Node.js): install it only when missing.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
