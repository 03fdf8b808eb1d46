#!/usr/bin/env bash
# Installs the npm dependencies when package-lock.json changed since the last
# install, and compiles src/ to dist/ when a source is newer than the last build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '[setup] %s\n' "$*" >&2; }

source scripts/runtime.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  start=$SECONDS
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  say "npm dependencies installed in $((SECONDS - start)) s"
fi
stamp=dist/.build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find src toolchain.json tsconfig.json tsconfig.build.json -newer "$stamp" -print -quit)" ]; then
  start=$SECONDS
  say "compiling TypeScript (src -> dist)"
  npx tsc -p tsconfig.build.json
  touch "$stamp"
  say "compiled in $((SECONDS - start)) s"
fi
