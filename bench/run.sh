#!/usr/bin/env bash
# make bench: the authorization path measured against its floor and against
# stock Redmine, on this machine, in one run. Writes bench/results/latest.{json,md}.
# Never part of make test.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
take_harness_lock
cd "$REPO"
npx tsc -p tsconfig.bench.json
OUT=$VAR/bench; rm -rf "$OUT"; mkdir -p "$OUT"
BENCH_PID=$VAR/run/bench-sidecar.pid STOCK_PID=$VAR/run/puma-bench-stock.pid STOCK_PORT=3101

instance e2e
cleanup() {
  stop_pidfile "$STOCK_PID"; stop_pidfile "$BENCH_PID"
  bash "$REPO/scripts/redmine.sh" stop e2e >/dev/null 2>&1 || true
}
trap cleanup EXIT

bash scripts/redmine.sh setup e2e
bash scripts/sidecar.sh stop e2e
log "bench sidecar (the real one plus the empty floor RPC) on $SOCK"
env APIGUARD_SOCKET="$SOCK" APIGUARD_DATABASE_YML="$DATABASE_YML" APIGUARD_METRICS="127.0.0.1:$METRICS_PORT" \
  setsid node dist-bench/bench/sidecar-server.js >"$OUT/bench-sidecar.out" 2>&1 </dev/null 9>&- &
echo $! >"$BENCH_PID"
for _ in $(seq 100); do grep -q ready "$OUT/bench-sidecar.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$OUT/bench-sidecar.out" || { cat "$OUT/bench-sidecar.out"; die "bench sidecar did not start"; }
bash scripts/redmine.sh stop e2e; bash scripts/redmine.sh start e2e
seed=$(in_redmine env TOKEN_NAME=bench bin/rails runner "$REPO/scripts/seed.rb" 2>>"$OUT/seed.log")
TOKEN=$(sed -n 's/^TOKEN=//p' <<<"$seed"); LEGACY=$(sed -n 's/^ALICE_API_KEY=//p' <<<"$seed")
ISSUE=$(mysql -uroot -N "$DB" -e "SELECT i.id FROM issues i JOIN projects p ON p.id = i.project_id WHERE p.identifier = 'demo' LIMIT 1")

log "stock Redmine (plugin switched off) on 127.0.0.1:$STOCK_PORT"
(cd "$REDMINE_ROOT" && exec env REDMINE_INSTANCE="$TENANT" REDMINE_API_GUARD_DISABLED=1 \
   setsid puma -e production -b "tcp://127.0.0.1:$STOCK_PORT" -t 4:8 --pidfile "$STOCK_PID") \
   >>"$OUT/stock-puma.log" 2>&1 </dev/null 9>&- &
wait_for_http "http://127.0.0.1:$STOCK_PORT/login" || die "stock Redmine did not start"

log "3. the plugin's hook inside Redmine vs a bare Ruby gRPC call"
in_redmine env BENCH_TOKEN="$TOKEN" bin/rails runner "$REPO/bench/ruby-hook.rb" >"$OUT/ruby.json" 2>>"$OUT/ruby.log"

log "4. whole requests: stock vs legacy key through the plugin vs personal token"
BENCH_STOCK_URL=http://127.0.0.1:$STOCK_PORT BENCH_GUARD_URL=http://127.0.0.1:$PORT BENCH_LEGACY_KEY=$LEGACY \
  BENCH_TOKEN=$TOKEN BENCH_ISSUE_ID=$ISSUE node dist-bench/bench/http-bench.js >"$OUT/http.json"
cleanup

log "1, 2, 5. authorization vs the floor, cold path, memory under a flood"
BENCH_TEMPLATE_DB=$DB node dist-bench/bench/grpc-bench.js >"$OUT/grpc.json"

{
  echo "{\"cpu\": \"$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)\", \"cores\": $(nproc),"
  echo " \"node\": \"$(node --version)\", \"ruby\": \"$(ruby -e 'print RUBY_VERSION')\","
  echo " \"redmine\": \"$(dpkg-query -W -f='${Version}' redmine)\", \"mariadb\": \"$(mysql -uroot -N -e 'SELECT VERSION()')\","
  echo " \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\"}"
} >"$OUT/machine.json"
node dist-bench/bench/report.js "$OUT" bench/results
cat bench/results/latest.md
