#!/usr/bin/env bash
# Writes the worker's IAM policy to deploy/iam from the actions the code declares
# (src/infra/aws/permissions). Options: --environment <name> and --bucket-prefix <prefix>
# (repeatable) narrow it to those environments and buckets, --partition aws-cn|aws-us-gov,
# --out <dir> writes elsewhere, --check only compares, --explain lists the actions AWS checks
# beside the calls (no SDK call names them) and why.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bash scripts/with-node.sh tsx src/infra/aws/permissions/write-policy.ts "$@"
