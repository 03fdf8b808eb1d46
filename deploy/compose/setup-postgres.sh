#!/bin/sh
# Creates (or upgrades) Temporal's schemas in PostgreSQL: the persistence database and
# the visibility database. Idempotent: run by docker-compose before the server starts.
set -eu
schemas=/etc/temporal/schema/postgresql/v12
for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  sql() { temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal --pw temporal --db "$db" "$@"; }
  sql create || true # exists already on a restart
  sql setup-schema -v 0.0 || true
  sql update-schema -d "$schemas/$dir/versioned"
done
echo "schemas ready"
