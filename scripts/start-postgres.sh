#!/usr/bin/env bash
# Starts Debian's PostgreSQL cluster on loopback and creates the test role and database.
# Prints the connection URL that the PostgreSQL tests read from SPANLOOP_TEST_PG_URL.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }

version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "${version} main"; then
  as_root pg_createcluster "$version" main >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  as_root pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  as_postgres pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_roles WHERE rolname='spanloop'" | grep -q 1 ||
  as_postgres psql -q -p "$port" -c "CREATE ROLE spanloop LOGIN SUPERUSER PASSWORD 'spanloop'" >/dev/null
as_postgres psql -q -p "$port" -tc "SELECT 1 FROM pg_database WHERE datname='spanloop_test'" | grep -q 1 ||
  as_postgres createdb -p "$port" -O spanloop spanloop_test
echo "postgresql://spanloop:spanloop@127.0.0.1:${port}/spanloop_test"
