#!/usr/bin/env bash
# make run: Redmine 5.0 with the plugin on 127.0.0.1:3000, the sidecar beside
# it, demo data, and a fresh personal access token printed with curl examples.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
take_harness_lock
instance demo

bash "$REPO/scripts/redmine.sh" setup demo
bash "$REPO/scripts/sidecar.sh" restart demo
bash "$REPO/scripts/redmine.sh" stop demo
bash "$REPO/scripts/redmine.sh" start demo

log "seeding the demo"
out=$(in_redmine env TOKEN_NAME=demo bin/rails runner "$REPO/scripts/seed.rb" 2>"$LOGDIR/seed.log") ||
  { tail -20 "$LOGDIR/seed.log"; die "seeding failed"; }
token=$(sed -n 's/^TOKEN=//p' <<<"$out")
[ -n "$token" ] || die "no token was created (see $LOGDIR/seed.log)"
base=http://127.0.0.1:$PORT

cat <<TXT

Redmine with redmine-api-guard is running at $base
  web login:   admin / admin-demo-pass,  alice / alice-demo-pass,  manny / manny-demo-pass
  My account > Access tokens:   $base/my/api_tokens
  Administration > API tokens:  $base/admin/api_tokens
  plugin settings:              $base/settings/plugin/redmine_api_guard
  sidecar metrics:              http://127.0.0.1:$METRICS_PORT/metrics

A personal access token of alice (shown once; 'make run' makes a new one):
  $token

Try it:
  curl -H "X-Redmine-API-Key: $token" $base/users/current.json
  curl -H "Authorization: Bearer $token" "$base/issues.json?project_id=demo&limit=2"
  curl -u "$token:x" $base/projects/demo.xml
  curl -i -H "X-Redmine-API-Key: rmp_not-a-real-token" $base/users/current.json    # 401

Logs: sidecar and puma in $LOGDIR, Redmine's in $REDMINE_LOGDIR   Stop: make stop
TXT
