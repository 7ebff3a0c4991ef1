# Shared settings and helpers of the harness scripts (sourced, not run).
# Everything here is idempotent: each step checks whether it is done.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=${APIGUARD_VAR:-/var/tmp/redmine-api-guard}
REDMINE_ROOT=/usr/share/redmine
REDMINE_PACKAGES="mariadb-server curl redmine redmine-mysql ruby-grpc ruby-google-protobuf ruby-grpc-tools puma ruby-mocha protobuf-compiler libprotobuf-dev dbconfig-no-thanks debootstrap"
DB_USER=apiguard
DB_PASS=apiguard-local

mkdir -p "$VAR/logs" "$VAR/run"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# instance NAME: sets PORT, METRICS_PORT, DB, RAILS_ENV_NAME, INSTANCE_DIR, SOCK,
# DATABASE_YML, REDMINE_LOGDIR and CHROOT_SUITE for one of the harness's Redmine
# instances: demo (make run), e2e (end-to-end tests on the host's Redmine 5.0),
# test (Redmine's own test suite, no web server), e2e-6.0 and e2e-6.1 (Redmine
# 6.x in Debian chroots, see chroot.sh).
instance() {
  NAME=$1
  CHROOT_SUITE=
  case $NAME in
    demo) PORT=${DEMO_PORT:-3000}; METRICS_PORT=9464; RAILS_ENV_NAME=production ;;
    e2e) PORT=${E2E_PORT:-3100}; METRICS_PORT=9465; RAILS_ENV_NAME=production ;;
    test) PORT=0; METRICS_PORT=9466; RAILS_ENV_NAME=test ;;
    e2e-6.0) PORT=3160; METRICS_PORT=9467; RAILS_ENV_NAME=production; CHROOT_SUITE=trixie ;;
    e2e-6.1) PORT=3161; METRICS_PORT=9468; RAILS_ENV_NAME=production; CHROOT_SUITE=sid ;;
    *) die "unknown instance $NAME (demo, e2e, test, e2e-6.0, e2e-6.1)" ;;
  esac
  DB=apiguard_${NAME//[.-]/_}
  LOGDIR=$VAR/logs/$NAME
  if [ -n "$CHROOT_SUITE" ]; then
    local root=$VAR/chroots/$CHROOT_SUITE
    INSTANCE_DIR=$root/var/lib/redmine/default
    DATABASE_YML=$root/etc/redmine/default/database.yml
    REDMINE_LOGDIR=$root/var/log/redmine/default
    SOCK=$root/run/apiguard/sidecar.sock
  else
    TENANT=apiguard-$NAME
    INSTANCE_DIR=/var/lib/redmine/$TENANT
    DATABASE_YML=$INSTANCE_DIR/config/database.yml
    REDMINE_LOGDIR=$INSTANCE_DIR/log
    SOCK=$VAR/run/$NAME.sock
  fi
  mkdir -p "$LOGDIR"
}

# Redmine targets of the end-to-end suite: REDMINE_TARGETS="5.0 6.0 6.1" (default all).
e2e_instance_of() {
  case $1 in 5.0) echo e2e ;; 6.0) echo e2e-6.0 ;; 6.1) echo e2e-6.1 ;; *) die "unknown Redmine target $1" ;; esac
}

mysql_root() { mysql -uroot "$@"; }

ensure_mariadb() {
  if mysqladmin -uroot --connect-timeout=2 ping >/dev/null 2>&1; then return 0; fi
  log "starting MariaDB"
  install -d -o mysql -g mysql /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 60); do
    mysqladmin -uroot --connect-timeout=2 ping >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "MariaDB did not start"
}

# in_redmine CMD...: run a command in Redmine's root for the current instance.
in_redmine() {
  (cd "$REDMINE_ROOT" && env REDMINE_INSTANCE="$TENANT" RAILS_ENV="$RAILS_ENV_NAME" \
    REDMINE_API_GUARD_SIDECAR="unix:$SOCK" "$@")
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# stop_pidfile FILE: TERM, wait, then KILL the process named in FILE.
stop_pidfile() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do pid_alive "$pid" || break; sleep 0.25; done
    pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$file"
}

# Serializes the harness's top-level commands (make run, make test, make bench):
# they share instances, ports, the plugin link and Redmine's Gemfile.local.
take_harness_lock() {
  # Servers started below close fd 9 (9>&-), so the lock ends with this script.
  exec 9>"$VAR/harness.lock"
  if ! flock -n 9; then
    log "waiting for another make run/test/bench to finish (lock $VAR/harness.lock)"
    flock -w 3600 9 || die "another make run/test/bench still holds $VAR/harness.lock"
  fi
}

wait_for_http() {
  local url=$1 tries=${2:-240}
  for _ in $(seq "$tries"); do
    curl -fs -m 5 -o /dev/null "$url" && return 0
    sleep 0.5
  done
  return 1
}
