#!/bin/bash
# The database roles of the production shape (docs/deployment.md), created once by the postgres
# image on an empty data directory (/docker-entrypoint-initdb.d) as the superuser. Idempotent, so
# it can be run again by hand to set new passwords:
#   docker compose exec -T postgres bash /docker-entrypoint-initdb.d/10-openccs-roles.sh
#   openccs      owns the openccs database and its tables; only the migrate job connects as it.
#   openccs_app  the API and the worker: rows only (granted by the migrate job, DATABASE_APP_ROLE),
#                so it can neither disable nor drop the audit and log tables' append-only triggers.
#   temporal     owns Temporal's own databases (temporal, temporal_visibility), created by the
#                temporal-schema job; it has no access to OpenCCS's database.
set -euo pipefail
: "${OPENCCS_DB_OWNER_PASSWORD:?}" "${OPENCCS_DB_APP_PASSWORD:?}" "${TEMPORAL_DB_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v owner_password="$OPENCCS_DB_OWNER_PASSWORD" \
  -v app_password="$OPENCCS_DB_APP_PASSWORD" \
  -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE openccs LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'openccs') \gexec
SELECT 'CREATE ROLE openccs_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'openccs_app') \gexec
SELECT 'CREATE ROLE temporal LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal') \gexec
ALTER ROLE openccs WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
ALTER ROLE openccs_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
ALTER ROLE temporal WITH LOGIN NOSUPERUSER CREATEDB NOCREATEROLE PASSWORD :'temporal_password';
SELECT 'CREATE DATABASE openccs OWNER openccs' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'openccs') \gexec
REVOKE ALL ON DATABASE openccs FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE openccs TO openccs_app;
SQL
