#!/usr/bin/env bash
# `make image-test`: builds localhost/vigil:dev (contrib/image/build.sh, quick when cached), runs
# it with podman as the Kubernetes manifests run it (read-only root, tmpfs /var/lib/vigil and
# /tmp, no capabilities, no-new-privileges) and asserts, against the real container:
#   1. /healthz and /readyz answer 200 (and how long start -> /readyz 200 took);
#   2. a Kubernetes AtomicWriter update of the host directory mounted read-only at
#      /etc/vigil/conf.d (new ..<ts> dir, ..data_tmp renamed over ..data, a new key's link,
#      old dir removed) is reconciled inside: /status shows the new instance IDs, not the old;
#   3. an exec check every 1 s whose plugin double-forks (`sh -c 'sleep 1 & exit 0'`) leaves
#      no zombie after >= 50 runs (state Z in /proc/*/stat inside the container), and the
#      custom Python check from the image's checks.d runs without error;
#   4. `podman stop -t 15` ends it with exit code 0 within the grace period, and the log has
#      the stopping line.
# Skipped, with the reason, unless root with podman, runc and debootstrap (make setup
# installs them).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF="$PWD/contrib/image/containers.conf"
export PATH="/opt/swift/usr/bin:$PATH"
image=${VIGIL_IMAGE:-localhost/vigil:dev}

say() { printf 'image-test: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then say "SKIP: needs root (podman with runc, as shared/design/CONTAINERS.md measured)"; exit 0; fi
scripts/setup.sh  # as root it installs buildah podman debootstrap runc, so CI runs this test
for tool in podman runc debootstrap; do
  command -v "$tool" >/dev/null || { say "SKIP: $tool is not installed (make setup installs buildah podman debootstrap runc)"; exit 0; }
done

contrib/image/build.sh

name="vigil-image-test-$$"
control="vigil-image-test-control-$$"
tmp=$(mktemp -d /var/tmp/vigil-image-test.XXXXXX)
cleanup() {
  local c
  for c in "$name" "$control"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }
now_ms() { date +%s%3N; }
# Instance IDs of one check in /status, one per line.
ids_of() { { curl -sf --max-time 2 "http://127.0.0.1:$1/status" || echo '{"checks":[]}'; } | jq -r --arg c "$2" '.checks[] | select(.check == $c) | .id'; }
# Zombies (state Z) among the container's processes, read from /proc: no tool needed inside.
zombies() {
  podman exec "$1" sh -c 'n=0; for f in /proc/[0-9]*/stat; do s=$(sed "s/.*) //" "$f" 2>/dev/null | cut -d" " -f1); [ "$s" = Z ] && n=$((n+1)); done; echo $n'
}
runs_of() { { curl -sf --max-time 2 "http://127.0.0.1:$1/status" || echo '{"checks":[]}'; } | jq -r --arg c "$2" '[.checks[] | select(.check == $c) | .total_runs] | max // 0'; }

# --- The host directory, laid out the way the kubelet's AtomicWriter writes a ConfigMap ------
conf="$tmp/conf.d"
mkdir -p "$conf/..2024_01_01_00_00_00.000000001"
chmod 0755 "$tmp" "$conf" "$conf/..2024_01_01_00_00_00.000000001"
v1="$conf/..2024_01_01_00_00_00.000000001"
cat > "$v1/uptime.yaml" <<'EOF'
instances:
  - name: before
EOF
# The plugin forks a child and exits at once; vigil kills what is left in its process group,
# and that child, re-parented to PID 1, is a zombie until PID 1 reaps it.
cat > "$v1/orphans.yaml" <<'EOF'
init_config:
  loader: exec
instances:
  - name: double_fork
    command: [/bin/sh, -c, "sleep 1 & exit 0"]
    min_collection_interval: 1
EOF
# The custom Python check baked into the image's checks.d: the venv works in the image.
printf 'instances:\n  - path: /etc/hostname\n    min_collection_interval: 5\n' > "$v1/file_age.yaml"
chmod 0644 "$v1"/*.yaml
ln -s ..2024_01_01_00_00_00.000000001 "$conf/..data"
ln -s ..data/file_age.yaml "$conf/file_age.yaml"
ln -s ..data/uptime.yaml "$conf/uptime.yaml"
ln -s ..data/orphans.yaml "$conf/orphans.yaml"

wait_ready() {  # port, seconds -> sets ready_ms
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(http_code "http://127.0.0.1:$1/readyz")" != 200 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

# --- 1. start, /healthz, /readyz ------------------------------------------------------------
port=$(free_port)
started=$(now_ms)
# As the Kubernetes manifests run it: read-only root with writable /var/lib/vigil and /tmp
# (mode 0777, like an emptyDir),
# no capabilities, no privilege escalation.
podman run -d --name "$name" --network host -v "$conf:/etc/vigil/conf.d:ro" \
  --read-only --tmpfs /tmp --tmpfs /var/lib/vigil:rw,mode=0777 \
  --cap-drop all --security-opt no-new-privileges "$image" \
  --listen "127.0.0.1:$port" >/dev/null
wait_ready "$port" 60 || { podman logs "$name" 2>&1 | tail -n 20 >&2; fail "/readyz was not 200 within 60 s"; }
ready_ms=$(( $(now_ms) - started ))
[ "$(http_code "http://127.0.0.1:$port/healthz")" = 200 ] || fail "/healthz is not 200"
say "ok: /healthz and /readyz are 200; podman run -> /readyz 200 took ${ready_ms} ms"
pid1=$(podman exec "$name" cat /proc/1/comm)
say "PID 1 in the container: $pid1"

# --- 2. a ConfigMap update, seen through the read-only mount ---------------------------------
old=$(ids_of "$port" uptime)
[ -n "$old" ] || fail "no uptime instance in /status before the swap"
v2="$conf/..2024_01_01_00_01_00.000000002"
mkdir "$v2"
printf 'instances:\n  - name: after\n' > "$v2/uptime.yaml"
cp "$v1/orphans.yaml" "$v1/file_age.yaml" "$v2/"
printf 'instances:\n  - min_collection_interval: 30\n' > "$v2/memory.yaml"
chmod 0755 "$v2"; chmod 0644 "$v2"/*.yaml
ln -s "$(basename "$v2")" "$conf/..data_tmp"
mv -T "$conf/..data_tmp" "$conf/..data"          # rename(2): the one atomic switch
ln -s ..data/memory.yaml "$conf/memory.yaml"     # a new key's link comes after the switch
rm -rf "$v1"
deadline=$(( $(date +%s) + 30 ))
while :; do
  new=$(ids_of "$port" uptime); mem=$(ids_of "$port" memory)
  if [ -n "$new" ] && ! grep -qxF -f <(echo "$old") <<<"$new" && [ -n "$mem" ]; then break; fi
  [ "$(date +%s)" -lt "$deadline" ] || fail "the ..data swap was not reconciled within 30 s (uptime: $new; memory: $mem)"
  sleep 0.2
done
grep -q '^uptime:after:' <<<"$new" || fail "the new uptime instance is not uptime:after:… ($new)"
say "ok: ..data swap reconciled: uptime $old -> $new, memory $mem added"

# --- 3. no zombies after >= 50 double-forking runs -------------------------------------------
deadline=$(( $(date +%s) + 120 ))
while [ "$(runs_of "$port" orphans)" -lt 50 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the exec check did not reach 50 runs in 120 s"
  sleep 1
done
runs=$(runs_of "$port" orphans)
# The fewest of five looks 0.3 s apart: Vigil (PID 1) sweeps 20 ms after each run, so a sleep
# killed a moment ago may be a zombie for that instant; one nobody reaps stays.
z=$(for _ in 1 2 3 4 5; do zombies "$name"; sleep 0.3; done | sort -n | head -n 1)
[ "$z" = 0 ] || { podman exec "$name" ps -eo pid,ppid,stat,comm >&2 || true; fail "$z zombie(s) after $runs runs"; }
reaped=$(curl -sf "http://127.0.0.1:$port/status" | jq '.reaped_orphans')
[ "${reaped:-0}" -ge 45 ] || fail "Vigil reaped only ${reaped:-0} orphans in $runs runs"
say "ok: $runs double-forking runs, 0 zombies, $reaped orphans reaped by Vigil as PID 1"
python=$(curl -sf "http://127.0.0.1:$port/status" | jq -c '[.checks[] | select(.check == "file_age") | {state, total_runs, total_errors, last_error}]' || true)
jq -e 'length == 1 and .[0].total_runs >= 1 and .[0].total_errors == 0' <<<"$python" >/dev/null \
  || fail "the Python check file_age did not run cleanly: $python"
say "ok: the Python check ran with the image's venv: $python"

# --- 4. podman stop: SIGTERM, graceful, exit code 0 ------------------------------------------
t0=$(now_ms)
podman stop -t 15 "$name" >/dev/null
stop_ms=$(( $(now_ms) - t0 ))
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || { podman logs "$name" 2>&1 | tail -n 20 >&2; fail "exit code $code after podman stop"; }
[ "$stop_ms" -lt 15000 ] || fail "podman stop took ${stop_ms} ms: the grace period ran out (SIGKILL)"
podman logs "$name" > "$tmp/log" 2>&1
grep -q '"msg":"stopping: letting running checks finish"' "$tmp/log" || fail "no stopping line in the log"
jq -e .ts "$tmp/log" >/dev/null || fail "the log is not all JSON lines"
say "ok: podman stop -t 15 -> exit code 0 in ${stop_ms} ms, stopping line logged"

size=$(podman image inspect --format '{{.Size}}' "$image")
say "PASS ($image: $size bytes; start -> ready ${ready_ms} ms; stop ${stop_ms} ms)"
