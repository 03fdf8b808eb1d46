#!/bin/sh
# Makes the namespace lp-infra uses and registers its search attributes (the ones in
# src/workflows/search-attributes.ts; `lp-infra dev up` registers the same locally).
# Idempotent: existing ones are left as they are.
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; do sleep 1; done
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention 30d
for attribute in LpEnvironment=Keyword LpComponent=Keyword LpAction=Keyword LpDrifted=Bool; do
  name="${attribute%%=*}"
  type="${attribute#*=}"
  temporal operator search-attribute list --namespace "$ns" | grep -qw "$name" ||
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
done
echo "namespace $ns and search attributes ready"
