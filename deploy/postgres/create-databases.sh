#!/bin/sh
# Runs once, when the PostgreSQL data volume is first initialised (docker-entrypoint-initdb.d):
# one database per service, <DATABASE_PREFIX>_<service>. The services create a missing database
# themselves as well; having them here lets the services run as a database user without CREATEDB.
# Written to work whether the entrypoint runs it or sources it (it does the latter without +x).
for service in auth catalog order payment notification; do
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    --command "CREATE DATABASE \"${DATABASE_PREFIX:-shop}_${service}\""
done
