#!/usr/bin/env bash
# The test suite drives Debian's Chromium, uses optional fast image decoders and runs the cluster mode on real
# engines (PostgreSQL with pgvector, Redis). Installs the missing Debian packages listed in .ci/apt-packages when
# run as root, and builds pgvector from third_party/pgvector (Debian 12 has no package); otherwise says what to do.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
while read -r pkg; do
  { [ -z "$pkg" ] || [ "${pkg:0:1}" = "#" ]; } && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < .ci/apt-packages
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages for the tests: ${missing[*]}" >&2
  apt-get update -qq
  # No cluster on 5432 and no services: the tests start their own servers in temporary folders.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/shoebox-tests.conf
  made_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

bash scripts/ensure-pgvector.sh
