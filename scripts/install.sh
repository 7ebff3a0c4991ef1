#!/usr/bin/env bash
# Installs what the product needs on this machine, skipping what is there:
# Debian's Redmine with gRPC and puma, protoc, MariaDB running, npm packages.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

node_ok=$(node -e 'const [a, b] = process.versions.node.split(".").map(Number); console.log(a > 20 || (a === 20 && b >= 15) ? 1 : 0)' 2>/dev/null || echo 0)
[ "$node_ok" = 1 ] || die "Node.js 20.15 or newer is needed (found: $(node --version 2>/dev/null || echo none))"

missing=()
for p in $REDMINE_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  # Redmine's own database setup is done by scripts/redmine.sh, not dbconfig.
  echo 'redmine redmine/instances/default/dbconfig-install boolean false' | debconf-set-selections
  apt-get update >"$VAR/logs/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
    >>"$VAR/logs/apt.log" 2>&1 || { tail -30 "$VAR/logs/apt.log"; die "apt-get install failed"; }
  # A Ruby package install regenerates Redmine's lock file: force a re-lock.
  rm -f "$VAR/bundle.fingerprint"
fi

ensure_mariadb

cd "$REPO"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund >"$VAR/logs/npm.log" 2>&1 || { tail -30 "$VAR/logs/npm.log"; die "npm ci failed"; }
fi
