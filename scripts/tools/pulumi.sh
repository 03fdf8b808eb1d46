#!/usr/bin/env bash
# Pulumi CLI (the engine behind the Automation API), built from the Go module proxy.
# github.com/pulumi/pulumi/pkg/v3 carries replace directives, so it is built through
# a small wrapper module that requires pkg/v3 and sdk/v3 at the same version and
# repeats the replaces the build needs. The version is set by ldflags because the
# Automation API refuses a CLI that reports none.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version pulumi)"
dest="$LP_CACHE/pulumi/$version/bin/pulumi"

build() {
  [ -x "$dest" ] && return 0
  adopt_from_path pulumi "v$version" "$dest" version && return 0
  need go "install Go 1.26 or newer (https://go.dev/dl/ or 'apt-get install golang')"
  say "building Pulumi CLI v$version from Go modules (about six minutes on two cores, fresh)"
  local work
  work="$(mktemp -d)"
  mkdir -p "$(dirname "$dest")"
  cat >"$work/go.mod" <<MOD
module lp-infra/pulumi-cli

go 1.24

require (
	github.com/pulumi/pulumi/pkg/v3 v$version
	github.com/pulumi/pulumi/sdk/v3 v$version
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  cat >"$work/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
  if ! (
    cd "$work"
    GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
    GOFLAGS=-mod=mod go build -o "$dest.tmp" \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  ); then
    rm -rf "$work" "$dest.tmp"
    fail "building the Pulumi CLI v$version failed (Go's messages are above)"
  fi
  rm -rf "$work"
  [ "$("$dest.tmp" version)" = "v$version" ] || fail "the Pulumi CLI built as $dest.tmp does not report v$version"
  mv "$dest.tmp" "$dest"
}

with_lock pulumi build
echo "$dest"
