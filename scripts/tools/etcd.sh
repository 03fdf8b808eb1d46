#!/usr/bin/env bash
# etcd, the store behind the local kube-apiserver, built from the Go module proxy.
# go.etcd.io/etcd/server/v3 replaces its sibling modules with relative folders, so it
# is built through a wrapper module whose main calls etcdmain.Main, as etcd's own
# binary does; the sibling modules then come from the proxy at the same version.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version etcd)"
dest="$LP_CACHE/etcd/$version/bin/etcd"

build() {
  [ -x "$dest" ] && return 0
  adopt_from_path etcd "$version" "$dest" --version && return 0
  need go "install Go 1.26 or newer (https://go.dev/dl/)"
  say "building etcd v$version from Go modules (a few minutes on a fresh machine)"
  local work
  work="$(mktemp -d)"
  mkdir -p "$(dirname "$dest")"
  cat >"$work/go.mod" <<MOD
module lp-infra/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 v$version
MOD
  cat >"$work/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  if ! (
    cd "$work"
    GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$dest.tmp" .
  ); then
    rm -rf "$work" "$dest.tmp"
    fail "building etcd v$version failed (Go's messages are above)"
  fi
  rm -rf "$work"
  "$dest.tmp" --version | grep -q "$version" || fail "etcd built as $dest.tmp does not report $version"
  mv "$dest.tmp" "$dest"
}

with_lock etcd build
echo "$dest"
