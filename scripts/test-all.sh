#!/usr/bin/env bash
# make test: every suite, in order of speed. With arguments, only those suites
# (unit, integration, e2e, redmine). Leaves no server of its own running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

take_harness_lock
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(unit integration e2e redmine)
declare -A took
failed=()

TARGETS=${REDMINE_TARGETS:-5.0 6.0 6.1}

cleanup() {
  bash "$REPO/scripts/redmine.sh" stop e2e >/dev/null 2>&1 || true
  for suite in trixie sid; do bash "$REPO/scripts/chroot.sh" stop "$suite" >/dev/null 2>&1 || true; done
  for name in e2e e2e-6.0 e2e-6.1 test; do bash "$REPO/scripts/sidecar.sh" stop "$name" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

# One end-to-end instance up, seeded, with its sidecar: the host's Redmine 5.0,
# or Redmine 6.x in its Debian chroot.
e2e_up() {
  instance "$1"
  if [ -z "$CHROOT_SUITE" ]; then
    bash "$REPO/scripts/redmine.sh" setup "$NAME"
    bash "$REPO/scripts/sidecar.sh" restart "$NAME"
    bash "$REPO/scripts/redmine.sh" stop "$NAME"
    bash "$REPO/scripts/redmine.sh" start "$NAME"
    in_redmine bin/rails runner "$REPO/scripts/seed.rb" >"$LOGDIR/seed.log" 2>&1 ||
      { tail -20 "$LOGDIR/seed.log"; die "seeding $NAME failed"; }
    in_redmine bin/rails runner "$REPO/scripts/scope-compat-check.rb" || die "scope compatibility check failed"
  else
    bash "$REPO/scripts/chroot.sh" build "$CHROOT_SUITE"
    bash "$REPO/scripts/chroot.sh" setup "$CHROOT_SUITE" "$NAME"
    bash "$REPO/scripts/chroot.sh" zeitwerk "$CHROOT_SUITE" "$NAME"
    bash "$REPO/scripts/sidecar.sh" restart "$NAME"
    bash "$REPO/scripts/chroot.sh" start "$CHROOT_SUITE" "$NAME"
    bash "$REPO/scripts/chroot.sh" runner "$CHROOT_SUITE" "$NAME" "$REPO/scripts/seed.rb" >"$LOGDIR/seed.log" 2>&1 ||
      { tail -20 "$LOGDIR/seed.log"; die "seeding $NAME failed"; }
    bash "$REPO/scripts/chroot.sh" runner "$CHROOT_SUITE" "$NAME" "$REPO/scripts/scope-compat-check.rb" ||
      die "scope compatibility check failed"
  fi
}

e2e_down() {
  instance "$1"
  if [ -z "$CHROOT_SUITE" ]; then bash "$REPO/scripts/redmine.sh" stop "$NAME"
  else bash "$REPO/scripts/chroot.sh" stop "$CHROOT_SUITE"; fi
  bash "$REPO/scripts/sidecar.sh" stop "$NAME"
}

run_unit() { (cd "$REPO" && npx jest --selectProjects unit); }

run_integration() {
  instance e2e
  bash "$REPO/scripts/redmine.sh" setup e2e
  (cd "$REPO" && APIGUARD_IT_TEMPLATE_DB=$DB npx jest --selectProjects integration --runInBand)
}

run_e2e() {
  local target rc=0 start
  for target in $TARGETS; do
    start=$(date +%s)
    log "--- end-to-end suite on Redmine $target"
    e2e_up "$(e2e_instance_of "$target")"
    local status=ok
    (cd "$REPO" && E2E_BASE_URL=http://127.0.0.1:$PORT E2E_SOCKET=$SOCK E2E_DB=$DB E2E_INSTANCE=$NAME \
      E2E_SIDECAR_CMD="bash $REPO/scripts/sidecar.sh" E2E_LOGDIR=$LOGDIR E2E_REDMINE_LOGDIR=$REDMINE_LOGDIR \
      npx jest --selectProjects e2e --runInBand) || { rc=1; status=FAILED; }
    e2e_down "$NAME"
    printf 'e2e-%-8s %4ss %s\n' "$target" "$(( $(date +%s) - start ))" "$status" >>"$SUMMARY"
    printf 'Redmine %s: end-to-end suite took %ss (%s)\n' "$target" "$(( $(date +%s) - start ))" "$status"
  done
  return $rc
}

run_redmine() { bash "$REPO/scripts/test-redmine.sh"; }

SUMMARY=$VAR/test-summary.txt
: >"$SUMMARY"
for suite in "${suites[@]}"; do
  start=$(date +%s)
  log "=== suite $suite"
  # A subshell whose status is not tested keeps `set -e` in force inside it.
  set +e; ( set -e; "run_$suite" ); rc=$?; set -e
  if [ $rc -ne 0 ] && [[ " ${failed[*]} " != *" $suite"* ]]; then failed+=("$suite"); fi
  took[$suite]=$(( $(date +%s) - start ))
done

echo
for suite in "${suites[@]}"; do
  printf '%-12s %4ss %s\n' "$suite" "${took[$suite]}" \
    "$([[ " ${failed[*]} " == *" $suite "* ]] && echo FAILED || echo ok)"
done
cat "$SUMMARY"
# The plain closing line CI reads: suites (and Redmine versions) passed and failed.
total=$(( ${#suites[@]} + $(grep -c . "$SUMMARY" || true) ))
bad=$(( ${#failed[@]} + $(grep -c FAILED "$SUMMARY" || true) ))
echo "suites: $(( total - bad )) passed, $bad failed"
[ ${#failed[@]} -eq 0 ] || die "failed suites: ${failed[*]}"
