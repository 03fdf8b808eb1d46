#!/usr/bin/env bash
# npm start: the main job on a fresh machine. Bootstraps what is missing, starts
# the local stack (Temporal dev server + UI, emulated AWS, a worker) and runs it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '[start] %s\n' "$*" >&2; }

say "step 1/3: npm packages and compiled code"
bash scripts/node-deps.sh
say "step 2/3: local toolchain (Temporal CLI, test server, moto, Pulumi)"
bash scripts/setup.sh
say "step 3/3: local stack and a first workflow"
bin/lp-infra dev up
bin/lp-infra dev check
say "the stack keeps running; 'bin/lp-infra dev status' shows it, 'bin/lp-infra dev down' stops it"
