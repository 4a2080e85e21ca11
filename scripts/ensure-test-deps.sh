#!/usr/bin/env bash
# The test suite drives Debian's Chromium and uses optional fast image decoders. Installs the missing Debian
# packages listed in .ci/apt-packages when run as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
while read -r pkg; do
  { [ -z "$pkg" ] || [ "${pkg:0:1}" = "#" ]; } && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < .ci/apt-packages
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages for the tests: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
