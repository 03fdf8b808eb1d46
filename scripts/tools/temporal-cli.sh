#!/usr/bin/env bash
# Temporal CLI: the dev server (`temporal server start-dev`) with its Web UI.
# Built from the Go module proxy. Tags after 1.5.1 carry a `replace` directive
# that `go install` refuses, hence the pin in toolchain.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version temporalCli)"
dest="$LP_CACHE/temporal-cli/$version/bin/temporal"

build() {
  [ -x "$dest" ] && return 0
  adopt_from_path temporal "$version" "$dest" --version && return 0
  need go "install Go 1.26 or newer (https://go.dev/dl/ or 'apt-get install golang')"
  say "building Temporal CLI $version with go install (a few minutes on a fresh machine)"
  GOBIN="$(dirname "$dest")" go install \
    -ldflags "-X github.com/temporalio/cli/temporalcli.Version=$version" \
    "github.com/temporalio/cli/cmd/temporal@v$version"
}

with_lock temporal-cli build
echo "$dest"
