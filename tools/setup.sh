#!/bin/sh
# tools/setup.sh -- installs the build and test dependencies a fresh Debian
# machine may lack (needs root, or sudo).  Safe to run again: it installs
# only what is missing.
set -e
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
for p in build-essential libsqlite3-dev libreadline-dev sqlite3 tmux python3 clang \
         libclang-rt-14-dev pkg-config man-db; do
  have_pkg "$p" || need="$need $p"
done
if [ -n "$need" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing$need"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
fi
