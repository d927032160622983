#!/usr/bin/env bash
# Issue 16's figure "Production environment, warm build: start to first 201": starts the built API (Release dll, Production,
# pre-generated code) against a PostgreSQL server, polls POST /api/negotiations until it answers 201, prints the time from
# process start, stops the process. Each run measures a FRESH database (created empty: Marten and Wolverine create their
# schema) and then the SAME database again (EXISTING: the schema is there, the start only checks it).
# Usage: PGHOST=127.0.0.1 PGPORT=54430 PGUSER=postgres PGPASSWORD=… start-to-first-201.sh [runs] [dll]
set -euo pipefail
runs=${1:-3}
dll=${2:-src/Normalization.Api/bin/Release/net10.0/Normalization.Api.dll}
port=${START_PORT:-5391}
key=start-bench-key-0123456789
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
body='{"id":"start-%s","title":"Start","parties":[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}]}'

start_once() { # $1 database, $2 label
  local t0 t1 pid code i=0
  t0=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
  ConnectionStrings__Normalization="Host=${PGHOST:-127.0.0.1};Port=${PGPORT};Username=${PGUSER:-postgres};Password=${PGPASSWORD};Database=$1" \
  ApiKeys__start="$hash" Normalization__LoadSeedData=false Logging__LogLevel__Default=Warning \
    dotnet "$dll" >/tmp/start-to-first-201.$$.log 2>&1 &
  pid=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/negotiations" -H "X-Api-Key: $key" \
      -H 'Content-Type: application/json' -d "$(printf "$body" "$(date +%s%N)")" 2>/dev/null || true)
    [ "$code" = 201 ] && break
    i=$((i+1)); [ $i -gt 6000 ] && { echo "no 201 after 60 s (last $code)"; kill $pid; cat /tmp/start-to-first-201.$$.log; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  kill $pid; wait $pid 2>/dev/null || true
  printf '%s\t%s ms\n' "$2" $(( (t1 - t0) / 1000000 ))
}

for r in $(seq 1 "$runs"); do
  db="normalization_start_$(date +%s%N)"
  psql -q -h "${PGHOST:-127.0.0.1}" -p "$PGPORT" -U "${PGUSER:-postgres}" -d postgres -c "create database $db"
  start_once "$db" "run $r fresh database"
  start_once "$db" "run $r existing database"
  psql -q -h "${PGHOST:-127.0.0.1}" -p "$PGPORT" -U "${PGUSER:-postgres}" -d postgres -c "drop database $db with (force)"
done
