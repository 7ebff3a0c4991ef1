#!/usr/bin/env bash
# One Redmine 5.0 instance of Debian's package with the plugin installed.
#   redmine.sh setup INSTANCE   database, bundle, plugin, migrations, REST API on
#   redmine.sh start INSTANCE   puma on 127.0.0.1:PORT (after setup; not for "test")
#   redmine.sh stop INSTANCE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ACTION=${1:?usage: redmine.sh setup|start|stop INSTANCE}
instance "${2:?instance}"
PIDFILE=$VAR/run/puma-$NAME.pid

# Redmine's bundle needs puma (not in 5.0's Gemfile) and, through the plugin's
# Gemfile, grpc and google-protobuf. Nothing is downloaded: Debian's gems only.
setup_bundle() {
  install -d "$REDMINE_ROOT/plugins"
  local link=$REDMINE_ROOT/plugins/redmine_api_guard
  if [ "$(readlink "$link" 2>/dev/null)" != "$REPO/redmine_plugin" ]; then
    rm -rf "$link"; ln -s "$REPO/redmine_plugin" "$link"; log "plugin linked from $REPO/redmine_plugin"
  fi
  local glocal=$REDMINE_ROOT/Gemfile.local
  local want="# redmine-api-guard harness: a web server for Redmine 5.0
gem 'puma'"
  [ "$(cat "$glocal" 2>/dev/null)" = "$want" ] || printf '%s\n' "$want" >"$glocal"
  local fp lock=/var/lib/redmine/Gemfile.lock
  fp=$(cat "$glocal" "$REPO/redmine_plugin/Gemfile" /usr/share/redmine/instances/*/config/database.yml 2>/dev/null | md5sum)
  if [ "$fp" != "$(cat "$VAR/bundle.fingerprint" 2>/dev/null)" ] || ! grep -q '^    grpc ' "$lock" ||
     ! grep -q '^    mysql2 ' "$lock" || ! grep -q '^    puma ' "$lock"; then
    log "bundle lock --local"
    (cd "$REDMINE_ROOT" && bundle lock --local >"$VAR/logs/bundle.log" 2>&1) ||
      { tail -20 "$VAR/logs/bundle.log"; die "bundle lock failed"; }
    echo "$fp" >"$VAR/bundle.fingerprint"
  fi
}

setup_instance_dir() {
  install -d "$INSTANCE_DIR"/{config,log,files,public}
  install -d "$VAR/tmp/$NAME"
  [ -L "$INSTANCE_DIR/tmp" ] || { rm -rf "$INSTANCE_DIR/tmp"; ln -s "$VAR/tmp/$NAME" "$INSTANCE_DIR/tmp"; }
  [ -e "$INSTANCE_DIR/public/plugin_assets" ] || ln -s "$REDMINE_ROOT/public/plugin_assets" "$INSTANCE_DIR/public/plugin_assets"
  [ -s "$INSTANCE_DIR/config/secret_key.txt" ] || od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$INSTANCE_DIR/config/secret_key.txt"
  local yml
  yml="$RAILS_ENV_NAME:
  adapter: mysql2
  database: $DB
  host: localhost
  socket: /run/mysqld/mysqld.sock
  username: $DB_USER
  password: \"$DB_PASS\"
  encoding: utf8mb4"
  [ "$(cat "$INSTANCE_DIR/config/database.yml" 2>/dev/null)" = "$yml" ] ||
    printf '%s\n' "$yml" >"$INSTANCE_DIR/config/database.yml"
}

setup_database() {
  mysql_root <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON \`apiguard\\_%\`.* TO '$DB_USER'@'localhost';
SQL
}

migrate() {
  log "$NAME: migrating $DB"
  # SCHEMA=/dev/null: Debian's db/ is read-only, so no schema.rb dump.
  in_redmine bundle exec rake db:migrate redmine:plugins:migrate SCHEMA=/dev/null \
    >"$LOGDIR/migrate.log" 2>&1 || { tail -30 "$LOGDIR/migrate.log"; die "migration failed"; }
  if [ "$RAILS_ENV_NAME" = production ]; then
    in_redmine env REDMINE_LANG=en bundle exec rake redmine:load_default_data >"$LOGDIR/default-data.log" 2>&1 ||
      { tail -10 "$LOGDIR/default-data.log"; die "load_default_data failed"; }
  fi
}

start() {
  [ "$NAME" != test ] || die "the test instance has no web server"
  if pid_alive "$(cat "$PIDFILE" 2>/dev/null)" && curl -fs -m 5 -o /dev/null "http://127.0.0.1:$PORT/login"; then
    log "$NAME: Redmine already up on :$PORT"; return 0
  fi
  stop_pidfile "$PIDFILE"
  log "$NAME: starting Redmine on 127.0.0.1:$PORT"
  # The whole group is redirected: nothing may keep the caller's stdout open.
  (cd "$REDMINE_ROOT" && exec env REDMINE_INSTANCE="$TENANT" REDMINE_API_GUARD_SIDECAR="unix:$SOCK" \
     setsid puma -e production -b "tcp://127.0.0.1:$PORT" -t 4:8 --pidfile "$PIDFILE") \
     >>"$LOGDIR/puma.log" 2>&1 </dev/null 9>&- &
  wait_for_http "http://127.0.0.1:$PORT/login" || { tail -30 "$LOGDIR/puma.log"; die "Redmine did not start"; }
}

case $ACTION in
  setup)
    ensure_mariadb; setup_instance_dir; setup_database; setup_bundle; migrate ;;
  start) start ;;
  stop) stop_pidfile "$PIDFILE" ;;
  *) die "unknown action $ACTION" ;;
esac
