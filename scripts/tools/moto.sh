#!/usr/bin/env bash
# moto: the AWS API emulator, as a server on loopback (`moto_server -H 127.0.0.1 -p PORT`).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version="$(tool_version moto)"
venv="$LP_CACHE/moto/$version/venv"
dest="$venv/bin/moto_server"

build() {
  [ -x "$dest" ] && return 0
  need python3 "install Python 3.9 or newer ('apt-get install python3 python3-venv')"
  say "installing moto[server]==$version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "python3 cannot make a venv; install python3-venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version"
}

with_lock moto build
echo "$dest"
