#!/usr/bin/env bash
# Debian's binary redmine package ships no test/ tree. Take it from Debian's
# source package of the installed version (same mirror as the host's apt
# sources, through a private source list so the machine's own stays as it is)
# and copy it into Redmine's root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

version=$(dpkg-query -W -f='${Version}' redmine)
marker=$REDMINE_ROOT/test/.apiguard-source-version
if [ "$(cat "$marker" 2>/dev/null)" = "$version" ]; then exit 0; fi

src=$VAR/apt-src
mkdir -p "$src/parts" "$src/lists/partial" "$src/dl"
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$src/parts/src.sources"
else
  grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' >"$src/parts/src.list"
fi
apt_src() { apt-get -o Dir::Etc::SourceParts="$src/parts" -o Dir::Etc::SourceList=/dev/null \
  -o Dir::State::Lists="$src/lists" "$@"; }
upstream=${version%%-*}; upstream=${upstream#*:}
orig=$(ls "$src/dl"/redmine_"$upstream".orig.tar.* 2>/dev/null | head -1 || true)
if [ -z "$orig" ]; then
  log "downloading Debian's source of redmine $version"
  apt_src update >"$VAR/logs/apt-src.log" 2>&1
  (cd "$src/dl" && apt_src source --download-only "redmine=$version" >>"$VAR/logs/apt-src.log" 2>&1) ||
    { tail -10 "$VAR/logs/apt-src.log"; die "apt-get source failed"; }
  orig=$(ls "$src/dl"/redmine_"$upstream".orig.tar.* | head -1)
fi
rm -rf "$src/tree" && mkdir -p "$src/tree"
tar -xf "$orig" -C "$src/tree" --strip-components=1 --wildcards '*/test/*'
rm -rf "$REDMINE_ROOT/test"
cp -a "$src/tree/test" "$REDMINE_ROOT/test"
echo "$version" >"$marker"
log "test tree of redmine $version installed ($(find "$REDMINE_ROOT/test" -type f | wc -l) files)"
