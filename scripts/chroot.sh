#!/usr/bin/env bash
# Redmine 6.x from Debian in a debootstrap chroot, against the host MariaDB.
#   chroot.sh build SUITE        debootstrap + Debian's redmine, puma, ruby-grpc (once)
#   chroot.sh setup SUITE NAME   database, bundle, plugin copy, migrations (instance NAME)
#   chroot.sh start SUITE NAME   puma on 127.0.0.1:PORT inside the chroot
#   chroot.sh stop SUITE         stop puma, unmount what was mounted
#   chroot.sh zeitwerk SUITE NAME      bin/rails zeitwerk:check with the plugin installed
#   chroot.sh runner SUITE NAME FILE   rails runner FILE inside the chroot (FILE on the host)
# SUITE: trixie (Redmine 6.0) or sid (Redmine 6.1).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ACTION=${1:?usage: chroot.sh build|setup|start|stop|runner SUITE [NAME]}
SUITE=${2:?suite}
case $SUITE in trixie|sid) ;; *) die "unknown suite $SUITE (trixie, sid)" ;; esac
ROOT=$VAR/chroots/$SUITE
CHPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
PLUGINS_IN=/var/lib/redmine/default/plugins
PIDFILE_IN=/var/cache/redmine/default/tmp/pids/puma.pid
CLOG=$VAR/logs/chroot-$SUITE
mkdir -p "$CLOG"

in_root() { chroot "$ROOT" env -i PATH=$CHPATH HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# in_redmine_chroot 'shell command': in Redmine's root inside the chroot
in_redmine_chroot() {
  chroot "$ROOT" env -i PATH=$CHPATH HOME=/root LANG=C.UTF-8 RAILS_ENV=production \
    REDMINE_API_GUARD_SIDECAR="unix:/run/apiguard/sidecar.sock" sh -c "cd /usr/share/redmine && $1"
}

mount_proc() { mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"; }
umount_all() {
  local m
  for m in $(findmnt -rn -o TARGET | awk -v r="$ROOT/" 'index($0, r) == 1' | sort -r); do umount "$m"; done
}

# First http(s) Debian URI of the host's own apt sources.
host_mirror() {
  { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }'
  } | grep -E '^https?://[^ ]*/debian/?$' | head -1 | sed 's:/*$::' || true
}

build() {
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    apt-get install -y --no-install-recommends debootstrap >>"$CLOG/build.log" 2>&1 ||
      { apt-get update >>"$CLOG/build.log" 2>&1 && apt-get install -y debootstrap >>"$CLOG/build.log" 2>&1; }
  }
  local mirror; mirror=$(host_mirror); [ -n "$mirror" ] || die "no Debian mirror in the host's apt sources"
  if [ ! -f "$ROOT/.apiguard-debootstrap-ok" ]; then
    umount_all; rm -rf --one-file-system "$ROOT"; mkdir -p "$ROOT"
    log "$SUITE: debootstrap (a few minutes)"
    debootstrap --variant=minbase "$SUITE" "$ROOT" "$mirror" >>"$CLOG/build.log" 2>&1 ||
      { tail -20 "$CLOG/build.log"; die "debootstrap $SUITE failed"; }
    touch "$ROOT/.apiguard-debootstrap-ok"
  fi
  printf 'Acquire::Check-Valid-Until "false";\nAcquire::Languages "none";\nAPT::Install-Recommends "false";\n' \
    >"$ROOT/etc/apt/apt.conf.d/99apiguard"
  echo "deb $mirror $SUITE main" >"$ROOT/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  mount_proc
  if [ ! -f "$ROOT/.apiguard-packages-ok" ]; then
    log "$SUITE: installing Debian's redmine, puma, ruby-grpc"
    in_root apt-get update >>"$CLOG/build.log" 2>&1
    local db=redmine-mysql
    in_root apt-cache show redmine-mariadb >/dev/null 2>&1 && db=redmine-mariadb
    echo 'redmine redmine/instances/default/dbconfig-install boolean false' | in_root debconf-set-selections
    in_root apt-get install -y redmine "$db" dbconfig-no-thanks puma ruby-grpc ruby-google-protobuf \
      >>"$CLOG/build.log" 2>&1 || { tail -20 "$CLOG/build.log"; die "apt-get install in $SUITE failed"; }
    in_root apt-get clean
    touch "$ROOT/.apiguard-packages-ok"
  fi
  in_root dpkg-query -W -f='${Version}' redmine >"$CLOG/redmine-version"
  log "$SUITE: Redmine $(cat "$CLOG/redmine-version") ready in $ROOT"
}

# The chroot's Redmine talks to the host MariaDB over TCP (same network).
setup() {
  instance "$1"
  mount_proc
  mysql_root <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON \`apiguard\\_%\`.* TO '$DB_USER'@'127.0.0.1';
SQL
  local yml="production:
  adapter: mysql2
  database: $DB
  host: 127.0.0.1
  port: 3306
  username: $DB_USER
  password: \"$DB_PASS\"
  encoding: utf8mb4"
  local target=$ROOT/etc/redmine/default/database.yml
  [ "$(cat "$target" 2>/dev/null)" = "$yml" ] || { printf '%s\n' "$yml" >"$target"; chmod 640 "$target"; }
  # The plugin is copied (a symlink would point outside the chroot).
  rm -rf "$ROOT$PLUGINS_IN/redmine_api_guard"; mkdir -p "$ROOT$PLUGINS_IN"
  cp -a "$REPO/redmine_plugin" "$ROOT$PLUGINS_IN/redmine_api_guard"
  mkdir -p "$ROOT/run/apiguard"
  # Debian's 6.x keeps plugins outside Rails.root, so the plugin's own Gemfile is
  # not read: Gemfile.local names the gRPC gems (puma is already in 6.x's Gemfile).
  local glocal=$ROOT/usr/share/redmine/Gemfile.local lock=$ROOT/var/lib/redmine/Gemfile.lock
  local want="# redmine-api-guard: gRPC for the plugin, loaded on first use
gem 'grpc', require: false
gem 'google-protobuf', require: false"
  [ "$(cat "$glocal" 2>/dev/null)" = "$want" ] || { printf '%s\n' "$want" >"$glocal"; rm -f "$lock.apiguard-ok"; }
  if [ ! -f "$lock.apiguard-ok" ] || ! grep -q '^    grpc ' "$lock" || ! grep -q '^    mysql2 ' "$lock"; then
    log "$SUITE: bundle lock --local"
    in_redmine_chroot 'bundle lock --local' >"$CLOG/bundle.log" 2>&1 || { tail -20 "$CLOG/bundle.log"; die "bundle lock failed"; }
    for gem in grpc google-protobuf mysql2 puma; do
      grep -q "^    $gem " "$lock" || die "$SUITE: $gem is missing from Redmine's Gemfile.lock"
    done
    touch "$lock.apiguard-ok"
  fi
  log "$SUITE: migrating $DB"
  in_redmine_chroot 'SCHEMA=/dev/null bundle exec rake db:migrate redmine:plugins:migrate' >"$CLOG/migrate.log" 2>&1 ||
    { tail -30 "$CLOG/migrate.log"; die "migration in $SUITE failed"; }
  in_redmine_chroot 'REDMINE_LANG=en bundle exec rake redmine:load_default_data' >"$CLOG/default-data.log" 2>&1 ||
    { tail -10 "$CLOG/default-data.log"; die "load_default_data in $SUITE failed"; }
}

server_pid() {
  local p; p=$(cat "$ROOT$PIDFILE_IN" 2>/dev/null) || return 1
  [[ $p =~ ^[0-9]+$ ]] && [ -d "/proc/$p" ] && [ "$(readlink "/proc/$p/root")" = "$ROOT" ] && echo "$p"
}

stop() {
  local p
  if p=$(server_pid); then
    kill -TERM "$p"; for _ in $(seq 40); do [ -d "/proc/$p" ] || break; sleep 0.25; done
    [ -d "/proc/$p" ] && kill -KILL "$p"
  fi
  rm -f "$ROOT$PIDFILE_IN"
  umount_all
}

start() {
  instance "$1"
  mount_proc
  stop; mount_proc
  in_root install -d -o www-data -g www-data "$(dirname "$PIDFILE_IN")"
  log "$SUITE: starting Redmine on 127.0.0.1:$PORT"
  setsid chroot "$ROOT" env -i PATH=$CHPATH HOME=/root LANG=C.UTF-8 RAILS_ENV=production \
    REDMINE_API_GUARD_SIDECAR="unix:/run/apiguard/sidecar.sock" \
    sh -c "cd /usr/share/redmine && exec puma -e production -b tcp://127.0.0.1:$PORT -t 4:8 --pidfile $PIDFILE_IN" \
    >>"$CLOG/puma.log" 2>&1 </dev/null 9>&- &
  wait_for_http "http://127.0.0.1:$PORT/login" || { tail -30 "$CLOG/puma.log"; die "Redmine $SUITE did not start"; }
}

case $ACTION in
  build) build ;;
  setup) setup "${3:?instance}" ;;
  start) start "${3:?instance}" ;;
  stop) stop ;;
  zeitwerk)
    # Redmine 6 loads plugins with Zeitwerk: every file must define its constant.
    instance "${3:?instance}"; mount_proc
    in_redmine_chroot 'bin/rails zeitwerk:check' >"$CLOG/zeitwerk.log" 2>&1 ||
      { tail -20 "$CLOG/zeitwerk.log"; die "zeitwerk:check failed on $SUITE"; }
    log "$SUITE: $(tail -n 1 "$CLOG/zeitwerk.log")" ;;
  runner)
    instance "${3:?instance}"
    cp "${4:?file}" "$ROOT/tmp/apiguard-runner.rb"
    in_redmine_chroot "bin/rails runner /tmp/apiguard-runner.rb" ;;
  *) die "unknown action $ACTION" ;;
esac
