#!/usr/bin/env bash
# Builds and installs pgvector into Debian's PostgreSQL from the unmodified upstream release in
# third_party/pgvector (Debian 12 has no pgvector package). Once per machine: skipped when that version is in.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.8.6
archive="third_party/pgvector/pgvector-$version.tar.gz"
pg_config=$(ls -d /usr/lib/postgresql/*/bin/pg_config 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_config" ]; then
  echo "PostgreSQL is not installed: the cluster-mode tests need postgresql and postgresql-server-dev-15" >&2
  exit 1
fi
control="$("$pg_config" --sharedir)/extension/vector.control"
if [ -f "$control" ] && grep -q "default_version = '$version'" "$control"; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "pgvector $version is not installed into $("$pg_config" --sharedir): build it as root with scripts/ensure-pgvector.sh" >&2
  exit 1
fi
if [ ! -f "$archive" ]; then
  echo "pgvector source $archive is missing: install pgvector $version for PostgreSQL another way" >&2
  exit 1
fi
echo "Building pgvector $version for $("$pg_config" --version)…" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar xzf "$archive" -C "$work"
# OPTFLAGS="": no -march=native, so the build runs on any machine of the architecture.
make -s -C "$work/pgvector-$version" PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
make -s -C "$work/pgvector-$version" PG_CONFIG="$pg_config" install >/dev/null
