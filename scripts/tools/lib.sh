# Shared helpers for the toolchain recipes. Sourced, not run.
# Every tool lives in $LP_CACHE/<tool>/<version>/ so that clones in other folders
# (CI, a second checkout) reuse what one of them built.
set -euo pipefail

LP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LP_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/lp-infra"

say() { printf '[setup] %s\n' "$*" >&2; }
fail() {
  printf '[setup] error: %s\n' "$*" >&2
  exit 1
}

# need <command> <what to install when it is missing>
need() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed; $2"
}

# tool_version <key in toolchain.json>
tool_version() {
  node -e 'const v = require(process.argv[1])[process.argv[2]]; if (!v) process.exit(1); console.log(v)' \
    "$LP_ROOT/toolchain.json" "$1" || fail "toolchain.json has no version for '$1'"
}

# adopt_from_path <binary> <expected version> <destination> <version command...>
# Links a binary already on PATH into the cache when its version fits, so the
# rest of lp-infra finds every tool in one place.
adopt_from_path() {
  local bin="$1" want="$2" dest="$3"
  shift 3
  local found
  found="$(command -v "$bin" 2>/dev/null)" || return 1
  case "$("$found" "$@" 2>/dev/null | head -n 1)" in
    *"$want"*)
      mkdir -p "$(dirname "$dest")"
      ln -sf "$found" "$dest"
      say "using $found (version $want) from PATH"
      return 0
      ;;
  esac
  return 1
}

# with_lock <name> <command...>: one build of a tool at a time, even across clones.
with_lock() {
  local name="$1"
  shift
  mkdir -p "$LP_CACHE"
  (
    flock 9
    "$@"
  ) 9>"$LP_CACHE/.$name.lock"
}
