#!/usr/bin/env bash
# npm run setup: builds or fetches every server and engine lp-infra runs locally,
# into ${XDG_CACHE_HOME:-~/.cache}/lp-infra/<tool>/<version>/. Cached tools are
# found in a moment; a fresh machine takes about a quarter of an hour (docs/development.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/tools/lib.sh"

tools=(temporal-cli temporal-test-server moto pulumi etcd kubernetes kwok chromium)
[ "$#" -gt 0 ] && tools=("$@")

total_start=$SECONDS
for tool in "${tools[@]}"; do
  start=$SECONDS
  path="$(bash "$here/tools/$tool.sh")" || fail "could not set up $tool (see the lines above)"
  say "$tool ready in $((SECONDS - start)) s: $path"
done
say "toolchain ready in $((SECONDS - total_start)) s (cache: $LP_CACHE)"
