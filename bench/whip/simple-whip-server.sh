#!/usr/bin/env bash
# Unpacks Debian's simple-whip-server (the WHIP front of Janus) and the Debian node-* libraries it requires into DIR
# (default /tmp/nio-simple-whip-server), without installing them: `apt-get install simple-whip-server` needs Debian's
# own nodejs, which conflicts with the nodejs this machine runs (the one the browser tests use), so apt refuses it.
# The packages are fetched with `apt-get download` and unpacked with `dpkg-deb -x`; the server then runs on the
# installed node with NODE_PATH pointing at them. The libraries are found by starting the server until no module is
# missing (Debian splits Express and its helpers into about fifty packages; a few are provided under other names). Prints DIR.
set -euo pipefail

dir=${1:-/tmp/nio-simple-whip-server}
root=$dir/root
node_path=$root/usr/share/nodejs:$root/usr/lib/nodejs:$root/usr/lib/x86_64-linux-gnu/nodejs
if [ -e "$dir/ready" ]; then
  echo "$dir"
  exit 0
fi
mkdir -p "$dir/debs" "$root"

declare -A fetched
# Unpacks PACKAGE, or the package that provides it when it is a virtual one.
unpack() {
  local package=$1
  if ! apt-cache show "$package" 2>/dev/null | grep '^Package:' >/dev/null; then
    package=$(apt-cache showpkg "$1" | sed -n '/^Reverse Provides/,$p' | sed -n 2p | awk '{print $1}')
    [ -n "$package" ] || { echo "no Debian package provides $1" >&2; exit 1; }
  fi
  [ -z "${fetched[$package]:-}" ] || { fetched[$1]=1; return 0; }
  fetched[$package]=1 fetched[$1]=1
  (cd "$dir/debs" && apt-get download "$package" >/dev/null 2>&1) || { echo "apt-get download $package failed" >&2; exit 1; }
  dpkg-deb -x "$(ls "$dir/debs/${package}"_*.deb | sed -n 1p)" "$root"
}

# Starts the server for a moment and prints the first top-level module it cannot find, if any.
missing_module() {
  (cd "$root/usr/share/simple-whip-server/src" && NODE_PATH=$node_path timeout 5 node -e "require('./server.js')" 2>&1 || true) |
    sed -nE "s/.*Cannot find module '([^'./][^'/]*)[^']*'.*/\1/p" | sed -n 1p
}

unpack simple-whip-server
# Its config.js is a link into /etc; run.sh writes its own next to server.js.
rm -f "$root/usr/share/simple-whip-server/src/config.js"
cp "$root/etc/simple-whip-server/config.js" "$root/usr/share/simple-whip-server/src/config.js"
for _ in $(seq 1 200); do
  # Some node-* packages link their code from a libjs-* package (/usr/share/javascript/NAME).
  while read -r link; do
    target=$(readlink "$link")
    [[ $target == *javascript/* ]] && unpack "libjs-$(sed -E 's#.*javascript/([^/]+)/.*#\1#' <<<"$target")"
  done < <(find "$root" -xtype l)
  module=$(missing_module)
  [ -n "$module" ] || break
  [ -z "${fetched[node-$module]:-}" ] || { echo "node-$module is unpacked but $module still not found" >&2; exit 1; }
  unpack "node-$module"
done
# Started for a moment with no Janus to reach, it must get as far as trying to connect.
(cd "$root/usr/share/simple-whip-server/src" && NODE_PATH=$node_path timeout 5 node server.js 2>&1 || true) | grep 'Connecting to Janus' >/dev/null ||
  { echo "simple-whip-server does not start" >&2; exit 1; }
echo "$node_path" >"$dir/node_path"
touch "$dir/ready"
echo "$dir"
