#!/bin/sh
# tools/setup.sh -- installs the build and test dependencies a fresh Debian
# machine may lack (needs root, or sudo).  Safe to run again: it installs
# only what is missing.
#
#   core      build-essential libsqlite3-dev libreadline-dev pkg-config
#   shell     libxlsxwriter-dev (.excel), libutf8proc-dev (display width)
#   node      libdqlite-dev libraft-dev libuv1-dev (the replicated node)
#   tests     sqlite3 tmux python3 clang libclang-rt-14-dev man-db
#             chromium fonts-noto-cjk (a real browser renders .html pages)
#             python3-openpyxl (an independent reader of .excel workbooks)
set -e
need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
for p in build-essential libsqlite3-dev libreadline-dev pkg-config \
         libxlsxwriter-dev libutf8proc-dev \
         libdqlite-dev libraft-dev libuv1-dev \
         sqlite3 tmux python3 clang libclang-rt-14-dev man-db \
         chromium fonts-noto-cjk python3-openpyxl; do
  have_pkg "$p" || need="$need $p"
done
if [ -n "$need" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing$need"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq $need
fi
