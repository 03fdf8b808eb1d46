#!/usr/bin/env bash
# npm start: the main job on a fresh machine. Bootstraps what is missing, starts the
# local stack (Temporal dev server + UI, emulated AWS, local Kubernetes API servers, a
# worker) and provisions the reference architecture on it (environments/local.yaml).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
say() { printf '[start] %s\n' "$*" >&2; }
source scripts/runtime.sh
say "runtime: node $(node --version) ($(command -v node))"

spec="${1:-environments/local.yaml}"
say "step 1/4: npm packages and compiled code"
bash scripts/node-deps.sh
say "step 2/4: local toolchain (Temporal CLI, test server, moto, Pulumi, etcd, Kubernetes, kwok)"
bash scripts/setup.sh
say "step 3/4: local stack (Temporal dev server + UI, moto, Kubernetes API servers, a worker)"
node dist/client.js dev up
node dist/client.js dev check
say "step 4/4: provisioning $spec (workflow provision/<env>; the Temporal UI shows it live)"
node dist/client.js up "$spec"
say "done. The stack keeps running: 'bin/lp-infra status <env>' shows the run,"
say "'bin/lp-infra destroy $spec' removes the environment, 'bin/lp-infra dev down' stops the stack"
