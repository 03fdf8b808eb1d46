#!/usr/bin/env bash
# Runs a command with lp-infra's Node.js first on PATH (scripts/runtime.sh), so npm
# scripts started by an older system Node still run on Node 24.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/runtime.sh"
PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/node_modules/.bin:$PATH"
# jest's loader requires ES-module packages (@kubernetes/client-node 2) only with vm modules on.
case "${1:-} ${2:-}" in jest* | "npx jest") export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules --disable-warning=ExperimentalWarning" ;;
esac
exec "$@"
