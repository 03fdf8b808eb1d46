#!/usr/bin/env bash
# kwok: fake Nodes and Pods for the local control plane (the scheduler places pods on
# the fake Nodes by their labels and taints; kwok marks them Running and Ready).
# Built with go install from the Go module proxy.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version kwok)"
dest="$LP_CACHE/kwok/$version/bin/kwok"

build() {
  [ -x "$dest" ] && return 0
  adopt_from_path kwok "v$version" "$dest" --version && return 0
  need go "install Go 1.26 or newer (https://go.dev/dl/)"
  say "building kwok v$version with go install (a few minutes on a fresh machine)"
  CGO_ENABLED=0 GOBIN="$(dirname "$dest")" go install -trimpath \
    -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@v$version"
}

with_lock kwok build
echo "$dest"
