#!/usr/bin/env bash
# Gets this machine ready to build and run the images as root with podman: installs podman, runc
# and debootstrap (for the stand-in base image) from Debian's packages when missing, writes the
# runtime settings they need here, and runs a trivial container. Prints nothing when ready;
# otherwise ONE line saying why not, and exits 1 (.ci/run then goes on without the container step).
#
# The settings (/etc/containers/containers.conf.d/50-telegram-shop.conf):
# - runc, not crun: crun fails here on rlimits and on the hybrid cgroup hierarchy;
# - cgroupfs and a file for events: there is no systemd or journald to hand them to;
# - the open-files and processes limits as this machine allows them: podman's defaults are above
#   what root may raise them to here, and runc refuses to start a container with them.
set -uo pipefail

say_no() {
  echo "containers: skipped, this machine cannot run them: $*"
  exit 1
}

if [[ $(id -u) -ne 0 ]]; then say_no "needs root (podman as root, as CI runs it)"; fi

if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v debootstrap >/dev/null; then
  log=$(mktemp)
  if ! {
    apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq podman runc debootstrap
  } >"$log" 2>&1; then
    say_no "installing podman, runc and debootstrap failed ($(grep -m1 -E '^(E|Err):' "$log" || tail -n1 "$log"))"
  fi
  rm -f "$log"
fi

# podman itself keeps the processes limit at 32768 or below; runc may set nothing above its own.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
mkdir -p /etc/containers/containers.conf.d
cat >/etc/containers/containers.conf.d/50-telegram-shop.conf <<EOF
# Written by telegram-shop's scripts/containers/setup-podman.sh (see there).
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF

# A trivial container: /bin/true and the libraries it loads, as the whole root filesystem.
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin"
cp /bin/true "$rootfs/bin/"
for lib in $(ldd /bin/true | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
if ! out=$(podman run --rm --network=host --rootfs "$rootfs" /bin/true 2>&1); then
  say_no "a trivial podman run failed ($(echo "$out" | tail -n1))"
fi
