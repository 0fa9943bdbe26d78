#!/usr/bin/env bash
# A local PostgreSQL with the role "aps" (password "aps", allowed to create databases) and its
# database: installs and starts the cluster when missing. Used by .ci/run and make bench.
set -euo pipefail
as_postgres() { su postgres -s /bin/sh -c "$*"; }

if ! command -v pg_isready >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 >/dev/null

as_postgres "psql -q -v ON_ERROR_STOP=1" <<'SQL'
SELECT 'CREATE ROLE aps LOGIN CREATEDB PASSWORD ''aps'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'aps') \gexec
ALTER ROLE aps LOGIN CREATEDB PASSWORD 'aps';
SELECT 'CREATE DATABASE aps OWNER aps'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'aps') \gexec
SQL
