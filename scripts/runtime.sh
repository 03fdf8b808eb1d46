# Sourced by every entry point (npm start, npm test, .ci/run, bin/lp-infra): puts
# Node.js 24 first on PATH. A system Node 24 is used as it is; any other (20, 22, none
# usable) is replaced by the version toolchain.json pins, fetched once into the cache.
# LP_INFRA_NODE=/path/to/node chooses another binary.
lp_runtime_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -n "${LP_INFRA_NODE:-}" ]; then
  PATH="$(dirname "$LP_INFRA_NODE"):$PATH"
elif [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != 24 ]; then
  lp_node="$(bash "$lp_runtime_dir/tools/node.sh")" || exit 1
  PATH="$(dirname "$lp_node"):$PATH"
  unset lp_node
fi
export PATH
unset lp_runtime_dir
