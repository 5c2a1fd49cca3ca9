#!/usr/bin/env bash
# `make image`: builds the container image localhost/vigil:dev (VIGIL_IMAGE overrides the name)
# from Debian's own tools, with no container registry:
#   1. a minimal bookworm rootfs from debootstrap --variant=minbase and the machine's Debian
#      mirror, kept as .build-image/rootfs.tar and rebuilt only when its inputs change;
#   2. the release vigil binary (scratch path .build-image/swift) and the Swift runtime
#      libraries ldd shows it loads from the toolchain;
#   3. the wheels of python/requirements.txt, downloaded by the host's pip (cached);
#   4. contrib/image/Containerfile, built with buildah --isolation chroot (no bridge network).
# Settings and why: shared/design/CONTAINERS.md. Needs root, debootstrap, buildah and swift.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
export CONTAINERS_CONF="$root/contrib/image/containers.conf"
export PATH="/opt/swift/usr/bin:$PATH"

image=${VIGIL_IMAGE:-localhost/vigil:dev}
work=.build-image
suite=bookworm
# Debian packages of the rootfs: the libraries vigil links (libyaml, libpython3.11,
# libsystemd), python3 and python3-venv for /opt/vigil/venv, the Nagios plugins exec checks
# use.
packages=(libyaml-0-2 libpython3.11 libsystemd0 libstdc++6 python3 python3-venv
          monitoring-plugins-basic)

say() { printf 'image: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (debootstrap and buildah write a rootfs with root-owned files)"; exit 1
fi
for tool in debootstrap buildah swift ldd; do
  command -v "$tool" >/dev/null || { say "missing $tool: run make setup (it installs buildah podman debootstrap runc)"; exit 1; }
done

# The first non-security Debian URI of the machine's apt sources (deb822 or one-line format);
# VIGIL_DEBIAN_MIRROR overrides it.
debian_mirror() (
  set +o pipefail  # absent source files and `head` closing the pipe are not errors here
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -E '^[[:space:]]*deb[[:space:]]' \
      | grep -oE '(https?|ftp|file)://[^[:space:]]+'
  } | grep -E '^(https?|ftp|file)://' | grep -v -- '-security' | head -n 1
)
mirror=${VIGIL_DEBIAN_MIRROR:-$(debian_mirror)}
[ -n "$mirror" ] || { say "no Debian mirror found in /etc/apt/sources.list*; set VIGIL_DEBIAN_MIRROR"; exit 1; }

mkdir -p "$work"
started=$(date +%s)

# --- 1. rootfs (cached) ------------------------------------------------------------------
stamp="$work/rootfs.inputs"
want=$(printf '%s\n' "$suite" "$mirror" "${packages[@]}")
if [ ! -f "$work/rootfs.tar" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "debootstrap $suite from $mirror (a few minutes)"
  rm -rf "$work/rootfs" "$work/rootfs.tar"
  include=$(IFS=,; echo "${packages[*]}")
  debootstrap --variant=minbase --include="$include" "$suite" "$work/rootfs" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  # debootstrap leaves the .debs and apt lists in the target; docs, man pages and locales are
  # not needed at run time (the copyright files stay).
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* \
         "$work/rootfs/usr/share/man" "$work/rootfs/usr/share/info" "$work/rootfs/usr/share/locale"
  find "$work/rootfs/usr/share/doc" -type f ! -name copyright -delete
  # The build host's resolver has no business in the image.
  rm -f "$work/rootfs/etc/resolv.conf"
  tar -C "$work/rootfs" --numeric-owner -cf "$work/rootfs.tar.part" .
  mv "$work/rootfs.tar.part" "$work/rootfs.tar"
  rm -rf "$work/rootfs"
  echo "$want" > "$stamp"
else
  say "reusing $work/rootfs.tar (delete it to debootstrap again)"
fi

# --- 2. vigil and the Swift runtime ------------------------------------------------------
say "swift build -c release --product vigil --scratch-path $work/swift"
swift build -c release --product vigil --scratch-path "$work/swift" > "$work/swift-build.log" 2>&1 \
  || { tail -n 30 "$work/swift-build.log" >&2; say "the release build failed (log: $work/swift-build.log)"; exit 1; }
tail -n 1 "$work/swift-build.log" >&2
bin=$(swift build -c release --scratch-path "$work/swift" --show-bin-path)/vigil

context="$work/context"
rm -rf "$context"
mkdir -p "$context/stage/usr/local/bin" "$context/stage/usr/local/lib"
install -m 0755 "$bin" "$context/stage/usr/local/bin/vigil"
strip --strip-unneeded "$context/stage/usr/local/bin/vigil"
# Only the toolchain's libraries: the Debian ones come from the rootfs's own packages.
swift_libs=$(ldd "$bin" | awk '$3 ~ "^/opt/swift/usr/lib/swift/linux/" { print $3 }')
[ -n "$swift_libs" ] || { say "ldd shows no Swift runtime library for $bin"; exit 1; }
for lib in $swift_libs; do install -m 0644 "$lib" "$context/stage/usr/local/lib/"; done
ln "$work/rootfs.tar" "$context/rootfs.tar" 2>/dev/null || cp "$work/rootfs.tar" "$context/rootfs.tar"
cp python/requirements.txt "$context/requirements.txt"
cp -r manifests/conf.d "$context/conf.d"
cp -r manifests/checks.d "$context/checks.d"

# --- 3. the venv's wheels (cached) --------------------------------------------------------
# Downloaded on the host, with the host's pip configuration (index, proxy, CA bundle), by the
# venv `make setup` made from the same Debian python3.11 the rootfs has; the image build then
# installs them offline from a bind mount, so no wheel stays in a layer.
wheels="$work/wheels"
want=$(sha256sum python/requirements.txt | cut -d' ' -f1)
if [ ! -d "$wheels" ] || [ "$(cat "$work/wheels.inputs" 2>/dev/null)" != "$want" ]; then
  say "pip download -r python/requirements.txt"
  rm -rf "$wheels"
  .venv/bin/python -m pip download --quiet --disable-pip-version-check --only-binary=:all: \
    -r python/requirements.txt -d "$wheels"
  echo "$want" > "$work/wheels.inputs"
fi

# --- 4. the image ------------------------------------------------------------------------
# --isolation chroot: RUN steps need no bridge network (they use none: pip is offline);
# --layers: the rootfs and venv layers are reused while their inputs are unchanged.
say "buildah bud -t $image"
buildah bud --isolation chroot --layers --quiet --volume "$root/$wheels:/wheels:ro" \
  -f contrib/image/Containerfile -t "$image" "$context" >/dev/null
rm -rf "$context"
# --layers keeps every build's layers; drop the ones no tagged image uses any more (only ours:
# the Containerfile labels each layer).
podman image prune -f --filter label=org.opencontainers.image.title=vigil >/dev/null
size=$(podman image inspect --format '{{.Size}}' "$image" 2>/dev/null || echo "?")
say "built $image ($size bytes) in $(( $(date +%s) - started )) s"
