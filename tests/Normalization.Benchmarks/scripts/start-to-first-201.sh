#!/usr/bin/env bash
# Issue 16's figure "Production environment, warm build: start to first 201": starts the built API (Release dll, Production,
# pre-generated code) against a PostgreSQL server, polls POST /api/negotiations until it answers 201, prints the time from
# process start, stops the process. Each run creates a FRESH database, applies the schema with `db-apply` (the deploy step:
# in Production the app does not create or migrate it at start; its time is printed apart), starts the app on it (FRESH:
# nothing cached by PostgreSQL for it yet), then starts it on the SAME database again (EXISTING: a restart).
# Usage: PGHOST=127.0.0.1 PGPORT=54430 PGUSER=postgres PGPASSWORD=… start-to-first-201.sh [runs] [dll]
# (dll: the Release build by default; pass a `dotnet publish` output, e.g. the ReadyToRun one of the Dockerfile, to measure it.)
set -euo pipefail
runs=${1:-3}
dll=${2:-src/Normalization.Api/bin/Release/net10.0/Normalization.Api.dll}
port=${START_PORT:-5391}
key=start-bench-key-0123456789
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
body='{"id":"start-%s","title":"Start","parties":[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}]}'

connection() { echo "Host=${PGHOST:-127.0.0.1};Port=${PGPORT};Username=${PGUSER:-postgres};Password=${PGPASSWORD};Database=$1"; }

apply_schema() { # $1 database, $2 label: the deploy step, timed apart
  local t0 t1
  t0=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Normalization="$(connection "$1")" Logging__LogLevel__Default=Warning \
    dotnet "$dll" db-apply >/tmp/start-to-first-201.$$.apply.log 2>&1 || { cat /tmp/start-to-first-201.$$.apply.log; exit 1; }
  t1=$(date +%s%N)
  printf '%s\t%s ms\n' "$2" $(( (t1 - t0) / 1000000 ))
  echo "apply $(( (t1 - t0) / 1000000 ))" >>"$results"
}

start_once() { # $1 database, $2 label, $3 case (fresh | existing)
  local t0 t1 pid code i=0
  t0=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
  ConnectionStrings__Normalization="$(connection "$1")" \
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
  # CPU time the app used until then (user + system, all threads; /proc/PID/stat fields 14 and 15 in clock ticks): unlike the
  # wall time it hardly moves with the machine's load, so it shows what a start costs when other jobs share the cores.
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  printf '%s\t%s ms\t(CPU %s ms)\n' "$2" $(( (t1 - t0) / 1000000 )) "$cpu"
  echo "$3 $(( (t1 - t0) / 1000000 ))" >>"$results"
  echo "$3-cpu $cpu" >>"$results"
}

summary() { # median, min, max per case
  for case in apply fresh existing fresh-cpu existing-cpu; do
    grep "^$case " "$results" | cut -d' ' -f2 | sort -n | awk -v c="$case" '{ v[NR] = $1 } END { if (NR) printf "%s\tmedian %d ms (min %d, max %d, %d runs)\n", c, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR], NR }'
  done
}

results=$(mktemp)
for r in $(seq 1 "$runs"); do
  db="normalization_start_$(date +%s%N)"
  psql -q -h "${PGHOST:-127.0.0.1}" -p "$PGPORT" -U "${PGUSER:-postgres}" -d postgres -c "create database $db"
  apply_schema "$db" "run $r db-apply (deploy step)"
  start_once "$db" "run $r fresh database" fresh
  start_once "$db" "run $r existing database" existing
  psql -q -h "${PGHOST:-127.0.0.1}" -p "$PGPORT" -U "${PGUSER:-postgres}" -d postgres -c "drop database $db with (force)"
done
summary
rm -f "$results"
