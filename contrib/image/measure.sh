#!/usr/bin/env bash
# Measures the built image (for BENCHMARKS.md, "Container image"): its size, the time from
# `podman run` to /readyz 200, and the container's idle RSS and CPU over SECONDS (default 60)
# while it runs the example checks baked into the image (manifests/conf.d, checks.d).
# Needs root and podman; run `make image` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF="$PWD/contrib/image/containers.conf"
image=${VIGIL_IMAGE:-localhost/vigil:dev}
seconds=${1:-60}
name="vigil-image-measure-$$"
trap 'podman rm -f -t 0 "$name" >/dev/null 2>&1 || true' EXIT

# 9717 when it is free, so the example tcp_check (127.0.0.1:9717) finds the API.
port=9717
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi

started=$(date +%s%3N)
podman run -d --name "$name" --network host "$image" --listen "127.0.0.1:$port" >/dev/null
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/readyz")" = 200 ]; do sleep 0.02; done
ready_ms=$(( $(date +%s%3N) - started ))

# The container's processes: PID 1 (tini) and its descendants, seen from the host.
tree() {
  local pids=($1) i=0
  while [ $i -lt ${#pids[@]} ]; do
    pids+=($(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null)); i=$((i + 1))
  done
  echo "${pids[@]}"
}
# utime+stime+cutime+cstime of the live tree: a reaped child's CPU is in its parent's c*time.
ticks() { local t=0 p; for p in $(tree "$1"); do t=$(( t + $(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12+$13+$14+$15}' || echo 0) )); done; echo $t; }
rss_kib() { local r=0 p; for p in $(tree "$1"); do r=$(( r + $(awk '/^VmRSS/ {print $2}' /proc/"$p"/status 2>/dev/null || echo 0) )); done; echo $r; }

pid=$(podman inspect --format '{{.State.Pid}}' "$name")
sleep 5  # let the first runs of every check happen (Python imports datadog_checks on the first)
hz=$(getconf CLK_TCK)
t0=$(ticks "$pid"); s0=$(date +%s%3N)
peak=0
for _ in $(seq "$seconds"); do
  sleep 1
  r=$(rss_kib "$pid"); [ "$r" -gt "$peak" ] && peak=$r
done
t1=$(ticks "$pid"); s1=$(date +%s%3N)
rss=$(rss_kib "$pid")
cpu=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v ms=$((s1 - s0)) 'BEGIN { printf "%.2f", 100 * t / hz / (ms / 1000) }')
runs=$(curl -s "http://127.0.0.1:$port/status" | jq '[.checks[].total_runs] | add')
states=$(curl -s "http://127.0.0.1:$port/status" | jq -r '[.checks[] | "\(.check)=\(.state)/\(.total_errors)err"] | join(" ")')

echo "image size: $(podman image inspect --format '{{.Size}}' "$image") bytes"
echo "podman run -> /readyz 200: ${ready_ms} ms"
echo "idle over ${seconds} s: RSS $((rss / 1024)) MiB (peak $((peak / 1024)) MiB), CPU ${cpu}% of one core"
echo "processes: $(for p in $(tree "$pid"); do printf '%s ' "$(cat /proc/$p/comm)"; done)"
echo "check runs: $runs ($states)"
