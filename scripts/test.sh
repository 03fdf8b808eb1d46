#!/usr/bin/env bash
# npm test: bootstraps what the tests need (npm packages, the compiled worker code,
# the local toolchain), then runs every suite. Each suite starts its own servers on
# free ports. Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/runtime.sh
bash scripts/node-deps.sh
bash scripts/setup.sh
printf '[test] running jest on node %s (unit, workflow, integration, reliability)\n' "$(node --version)" >&2
exec bash scripts/with-node.sh jest "$@"
