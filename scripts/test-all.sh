#!/usr/bin/env bash
# make test: every suite, in order of speed. With arguments, only those suites
# (unit, integration, e2e, redmine). Leaves no server of its own running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(unit integration e2e redmine)
declare -A took
failed=()

cleanup() {
  bash "$REPO/scripts/redmine.sh" stop e2e >/dev/null 2>&1 || true
  bash "$REPO/scripts/sidecar.sh" stop e2e >/dev/null 2>&1 || true
  bash "$REPO/scripts/sidecar.sh" stop test >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The e2e instance: its database holds the real Redmine + plugin schema and
# serves the integration tests too (each on a database of its own, cloned from it).
e2e_up() {
  instance e2e
  bash "$REPO/scripts/redmine.sh" setup e2e
  bash "$REPO/scripts/sidecar.sh" restart e2e
  bash "$REPO/scripts/redmine.sh" stop e2e
  bash "$REPO/scripts/redmine.sh" start e2e
  in_redmine bin/rails runner "$REPO/scripts/seed.rb" >"$LOGDIR/seed.log" 2>&1 ||
    { tail -20 "$LOGDIR/seed.log"; die "seeding e2e failed"; }
}

run_unit() { (cd "$REPO" && npx jest --selectProjects unit); }

run_integration() {
  instance e2e
  bash "$REPO/scripts/redmine.sh" setup e2e
  (cd "$REPO" && APIGUARD_IT_TEMPLATE_DB=$DB npx jest --selectProjects integration --runInBand)
}

run_e2e() {
  e2e_up
  (cd "$REPO" && E2E_BASE_URL=http://127.0.0.1:$PORT E2E_SOCKET=$SOCK E2E_DB=$DB \
    E2E_SIDECAR_CMD="bash $REPO/scripts/sidecar.sh" E2E_LOGDIR=$LOGDIR \
    npx jest --selectProjects e2e --runInBand)
}

run_redmine() { bash "$REPO/scripts/test-redmine.sh"; }

for suite in "${suites[@]}"; do
  start=$(date +%s)
  log "=== suite $suite"
  if "run_$suite"; then :; else failed+=("$suite"); fi
  took[$suite]=$(( $(date +%s) - start ))
done

echo
for suite in "${suites[@]}"; do printf '%-12s %4ss %s\n' "$suite" "${took[$suite]}" \
  "$([[ " ${failed[*]} " == *" $suite "* ]] && echo FAILED || echo ok)"; done
[ ${#failed[@]} -eq 0 ] || die "failed suites: ${failed[*]}"
