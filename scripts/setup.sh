#!/usr/bin/env bash
# Installs what building and testing Vigil needs on Debian 12, then gets out of the way.
# Idempotent: with everything present it only checks, in well under a second.
# Without root it installs nothing and prints the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    say "swift is not on PATH; add it with: export PATH=/opt/swift/usr/bin:\$PATH"
  else
    say "no Swift toolchain found: install Swift 6.1 or later (https://swift.org/install)"
  fi
  exit 1
fi

# --- Debian packages --------------------------------------------------------------------
# libyaml-dev, libpython3-dev, libsystemd-dev: the C libraries Vigil links.
# python3-venv: the venv below. monitoring-plugins-basic: the real Nagios plugins exec checks
# are tested with. buildah podman debootstrap runc: `make image` and `make image-test`
# (shared/design/CONTAINERS.md).
packages=(libyaml-dev libpython3-dev python3-venv monitoring-plugins-basic buildah podman debootstrap runc)
missing=()
for package in "${packages[@]}"; do installed "$package" || missing+=("$package"); done
need_systemd_dev=0
installed libsystemd-dev || need_systemd_dev=1

if [ ${#missing[@]} -gt 0 ] || [ $need_systemd_dev -eq 1 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo "; fi
  if [ -z "$sudo" ]; then
    say "installing: ${missing[*]} $([ $need_systemd_dev -eq 1 ] && echo libsystemd-dev)"
    apt-get update -qq
  fi
  if [ $need_systemd_dev -eq 1 ]; then
    # Pin libsystemd-dev to the installed libsystemd0, so installing headers does not upgrade
    # systemd itself (STYLE.md §4); take the candidate when the archive no longer has it.
    version=$(dpkg-query -W -f='${Version}' libsystemd0 2>/dev/null || true)
    if [ -n "$version" ] && apt-cache madison libsystemd-dev 2>/dev/null | grep -qF " $version "; then
      missing+=("libsystemd-dev=$version")
    else
      missing+=("libsystemd-dev")
    fi
  fi
  if [ -n "$sudo" ]; then
    say "missing Debian packages; run:"
    printf '  sudo apt-get update && sudo apt-get install -y %s\n' "${missing[*]}" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Python venv -------------------------------------------------------------------------
# Made with Debian's /usr/bin/python3 so it matches the linked libpython3.11; a stamp of the
# requirements file skips the work when nothing changed.
venv=.venv
stamp="$venv/.vigil-requirements.sha256"
want=$( (sha256sum python/requirements.txt; /usr/bin/python3 --version) | sha256sum | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "creating $venv from /usr/bin/python3 with python/requirements.txt (about 20 s)"
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements.txt
  "$venv/bin/python" -c "import yaml, datadog_checks.base" 
  echo "$want" > "$stamp"
fi
# Test-only tools (python/test-requirements.txt: kubernetes-validate), added to the same venv
# with a stamp of their own, so changing them never recreates it.
test_stamp="$venv/.vigil-test-requirements.sha256"
test_want=$(sha256sum python/test-requirements.txt | cut -d' ' -f1)
if [ "$(cat "$test_stamp" 2>/dev/null)" != "$test_want" ]; then
  say "adding python/test-requirements.txt to $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r python/test-requirements.txt
  echo "$test_want" > "$test_stamp"
fi
