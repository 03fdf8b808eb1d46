#!/usr/bin/env bash
# Kubernetes control plane: kube-apiserver, kube-controller-manager, kube-scheduler,
# built from the Go module proxy. k8s.io/kubernetes replaces its staging modules
# (k8s.io/api, k8s.io/apiserver, ...) with folders of its own repository, which a
# module download does not carry, so the build goes through a wrapper module that
# requires k8s.io/kubernetes and points every staging module at its published
# v0.<minor>.<patch> release. The version the binaries report is set by ldflags, as
# the Kubernetes release build does. Prints the folder holding the three binaries.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version kubernetes)"
dir="$LP_CACHE/kubernetes/$version/bin"
binaries=(kube-apiserver kube-controller-manager kube-scheduler)
staging=(
  api apiextensions-apiserver apimachinery apiserver cli-runtime client-go
  cloud-provider cluster-bootstrap code-generator component-base component-helpers
  controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation
  endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
  kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
  sample-apiserver sample-cli-plugin sample-controller
)

built() {
  local bin
  for bin in "${binaries[@]}"; do
    [ -x "$dir/$bin" ] || return 1
  done
}

write_wrapper() {
  local work="$1" staging_version="v0.${version#*.}" module
  {
    printf 'module lp-infra/kubernetes\n\ngo 1.24.0\n\ngodebug default=go1.24\n\n'
    printf 'require k8s.io/kubernetes v%s\n\nreplace (\n' "$version"
    for module in "${staging[@]}"; do
      printf '\tk8s.io/%s => k8s.io/%s %s\n' "$module" "$module" "$staging_version"
    done
    printf ')\n'
  } >"$work/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for bin in "${binaries[@]}"; do
      printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$bin"
    done
    printf ')\n'
  } >"$work/tools.go"
}

version_ldflags() {
  local minor="${version#*.}" pkg flags=""
  minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "-s -w$flags"
}

# Binaries already on PATH at the same version are used as they are.
adopt_all() {
  local bin
  for bin in "${binaries[@]}"; do
    adopt_from_path "$bin" "v$version" "$dir/$bin" --version || return 1
  done
}

build() {
  built && return 0
  adopt_all && return 0
  need go "install Go 1.26 or newer (https://go.dev/dl/)"
  say "building Kubernetes v$version control plane from Go modules (five to ten minutes on two cores, fresh)"
  local work bin
  work="$(mktemp -d)"
  mkdir -p "$dir"
  write_wrapper "$work"
  if ! (
    cd "$work"
    GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
    mkdir -p out
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o out/ -ldflags "$(version_ldflags)" \
      "${binaries[@]/#/k8s.io/kubernetes/cmd/}"
  ); then
    rm -rf "$work"
    fail "building Kubernetes v$version failed (Go's messages are above)"
  fi
  for bin in "${binaries[@]}"; do
    "$work/out/$bin" --version | grep -q "v$version" || fail "$bin does not report v$version"
    mv "$work/out/$bin" "$dir/$bin"
  done
  rm -rf "$work"
}

with_lock kubernetes build
echo "$dir"
