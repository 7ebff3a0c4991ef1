#!/usr/bin/env bash
# The api-guard sidecar of one harness instance, on a unix socket, reading the
# instance's database.yml.   sidecar.sh start|stop|restart INSTANCE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ACTION=${1:?usage: sidecar.sh start|stop|restart INSTANCE}
instance "${2:?instance}"
PIDFILE=$VAR/run/sidecar-$NAME.pid
mkdir -p "$(dirname "$SOCK")"

start() {
  if pid_alive "$(cat "$PIDFILE" 2>/dev/null)" && [ -S "$SOCK" ]; then
    log "$NAME: sidecar already running"; return 0
  fi
  [ -f "$REPO/dist/main.js" ] || die "sidecar not built: run make build"
  log "$NAME: starting sidecar on $SOCK"
  local extra=()
  # Redmine's own tests keep fixtures in open transactions and change keys
  # between tests: read uncommitted rows and cache nothing.
  [ "$NAME" = test ] && extra=(APIGUARD_DB_READ_UNCOMMITTED=1 APIGUARD_CACHE_MAX=0 APIGUARD_USER_TTL_MS=0)
  env APIGUARD_SOCKET="$SOCK" APIGUARD_DATABASE_YML="$DATABASE_YML" \
    APIGUARD_RAILS_ENV="$RAILS_ENV_NAME" APIGUARD_METRICS="127.0.0.1:$METRICS_PORT" \
    APIGUARD_POLICY_REFRESH_MS=1000 "${extra[@]}" \
    setsid node "$REPO/dist/main.js" >>"$LOGDIR/sidecar.log" 2>&1 </dev/null 9>&- &
  echo $! >"$PIDFILE"
  for _ in $(seq 100); do
    [ -S "$SOCK" ] && curl -fs -m 2 -o /dev/null "http://127.0.0.1:$METRICS_PORT/healthz" && return 0
    pid_alive "$(cat "$PIDFILE")" || break
    sleep 0.1
  done
  tail -20 "$LOGDIR/sidecar.log"; die "sidecar did not start"
}

case $ACTION in
  start) start ;;
  stop) stop_pidfile "$PIDFILE" ;;
  restart) stop_pidfile "$PIDFILE"; start ;;
  *) die "unknown action $ACTION" ;;
esac
