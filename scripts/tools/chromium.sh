#!/usr/bin/env bash
# Chromium for the Temporal UI browser test (headless, driven by playwright-core):
# Debian's package, installed once with apt when it is missing. Prints its path.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

found="$(command -v chromium || true)"
if [ -z "$found" ]; then
  need apt-get "install Debian's chromium package by hand, or skip the browser test"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing Debian's chromium (apt-get install chromium)"
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq chromium >/dev/null ||
    fail "apt-get could not install chromium"
  found="$(command -v chromium)"
fi
echo "$found"
