#!/bin/sh
# One-shot job (temporalio/admin-tools): creates Temporal's two databases on PostgreSQL when they
# are missing and brings their schemas to the version this admin-tools image ships. Safe to run at
# every `docker compose up`: setup-schema keeps a newer version, update-schema applies only what is
# missing. Upgrading Temporal = raise the server and admin-tools tags together (docs/deployment.md).
set -eu
: "${SQL_PASSWORD:?}"
TOOL="temporal-sql-tool --plugin postgres12 --ep ${SQL_HOST:-postgres} -p ${SQL_PORT:-5432} -u ${SQL_USER:-temporal}"
SCHEMA=/etc/temporal/schema/postgresql/v12

create_db() {
  if out=$($TOOL --db "$1" create 2>&1); then
    echo "created database $1"
  elif echo "$out" | grep -q 'already exists'; then
    echo "database $1 already exists"
  else
    echo "$out" >&2
    exit 1
  fi
}

for db in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  name=${db%%:*}
  dir=$SCHEMA/${db##*:}/versioned
  create_db "$name"
  $TOOL --db "$name" setup-schema -v 0.0
  $TOOL --db "$name" update-schema -d "$dir"
done
echo 'Temporal schemas are up to date'
