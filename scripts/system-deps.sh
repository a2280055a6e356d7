#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real: dash and bash
# (differential tests), strace (the tracer's reference), tmux (a person at a
# terminal), bubblewrap (the graders' sandbox), chromium (the HTML timeline),
# QEMU, busybox and a kernel source tree (the sys_pfstat project), gcc (C demos
# and student-style shells; g++ and libreadline-dev for the C++ and readline
# ones), manpages-dev (syscall one-liners from section 2).
# Idempotent: it asks apt only for what is missing, and only when run as root.
set -euo pipefail

packages=(
  dash bash strace tmux bubblewrap gcc make libc6-dev g++ libreadline-dev
  man-db manpages-dev
  chromium
  qemu-system-x86 busybox-static linux-image-amd64 cpio
  linux-source-6.1 flex bison bc libelf-dev libssl-dev xz-utils patch
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "system-deps: run as root: apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# man-db's index makes `whatis -s 2 NAME` answer; build it once.
command -v mandb >/dev/null && mandb -q 2>/dev/null || true
