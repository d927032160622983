#!/bin/sh
# Run once by the postgres image when it initialises a new data volume (/docker-entrypoint-initdb.d, docker-compose.yml):
# the two roles of docs/reliability.md, "The database user in production" — normalization_owner runs db-apply (the
# `migrate` service) and owns the schema; normalization_app (the `api` service) has no DDL rights. The SQL below is the
# documented block, with the passwords taken from the environment (DockerRolesScriptTests keeps the two the same).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="${NORMALIZATION_OWNER_PASSWORD:-normalization-owner}" \
  -v app_password="${NORMALIZATION_APP_PASSWORD:-normalization-app}" <<'SQL'
-- as a superuser, on database normalization
create role normalization_owner login password :'owner_password';   -- runs db-apply / db-patch at deploy; owns every object it creates
create role normalization_app login password :'app_password';     -- the app and the data commands: no superuser, no createdb, no createrole
grant connect on database normalization to normalization_owner, normalization_app;
grant usage, create on schema public to normalization_owner;
grant usage on schema public to normalization_app;
-- the app's rights on what the owner creates, now and in every later migration (for role: the owner's objects, not yours)
alter default privileges for role normalization_owner in schema public grant select, insert, update, delete, truncate on tables to normalization_app;
alter default privileges for role normalization_owner in schema public grant usage, select, update on sequences to normalization_app;
alter default privileges for role normalization_owner in schema public grant execute on functions to normalization_app;
-- objects that existed before the default privileges (a database migrated earlier): the same rights once
grant select, insert, update, delete, truncate on all tables in schema public to normalization_app;
grant usage, select, update on all sequences in schema public to normalization_app;
grant execute on all functions in schema public to normalization_app;  -- Marten's mt_* functions (e.g. event append)
SQL
