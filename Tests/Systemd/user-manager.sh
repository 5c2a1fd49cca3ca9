#!/bin/bash
# A confined `systemd --user` manager for tests (../shared/design/SYSTEMD.md §5.2), on a host
# whose PID 1 is not systemd. Needs root and cgroup2.
#
#   user-manager.sh start DIR   starts a manager whose state lives in DIR; prints its PID
#   user-manager.sh stop DIR    stops it and removes its cgroup subtree
#
# Then: XDG_RUNTIME_DIR=DIR/xdg XDG_CONFIG_HOME=DIR/config systemctl --user …
# Its processes run in the cgroup DIR/cgroup names (a `<slice>/user@0.service` subtree, so
# journald records _SYSTEMD_USER_UNIT); nothing outside that subtree is moved or touched.
set -euo pipefail

command=${1:?start|stop}
W=$(realpath -m "${2:?state directory}")
export XDG_RUNTIME_DIR=$W/xdg XDG_CONFIG_HOME=$W/config

journald_listening() {
    # A killed journald leaves its socket file behind: only a socket that accepts a connection counts.
    /usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    s.connect("/run/systemd/journal/socket")
except OSError:
    sys.exit(1)' 2>/dev/null
}

ensure_journald() {
    # Reuse a running journald; otherwise start one, serialised with other test runs.
    journald_listening && return 0
    exec 9>/run/lock/vigil-journald.lock
    flock 9
    if ! journald_listening; then
        # journald outlives this script: it must hold none of our descriptors (the lock, or
        # the pipes and exit-watch socket of whoever runs this script, who would wait forever).
        (
            for fd in /proc/self/fd/*; do
                fd=${fd##*/}
                [ "$fd" -gt 2 ] && eval "exec $fd>&-"
            done
            exec setsid /lib/systemd/systemd-journald
        ) </dev/null >/dev/null 2>&1 &
        for _ in $(seq 500); do journald_listening && break; sleep 0.01; done
    fi
    exec 9>&-
    journald_listening
}

case $command in
start)
    [ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 2; }
    cg2=$(findmnt -n -t cgroup2 -o TARGET | head -1)
    [ -n "$cg2" ] || { echo "no cgroup2 mount" >&2; exit 2; }
    ensure_journald || { echo "no journald socket" >&2; exit 2; }
    mkdir -p "$W/xdg" "$W/config/systemd/user" "$W/jbind"
    chmod 700 "$W/xdg"
    printf '[Unit]\nDescription=Vigil test harness\n' > "$W/config/systemd/user/harness.target"
    for socket in gpg-agent.socket gpg-agent-browser.socket gpg-agent-extra.socket gpg-agent-ssh.socket \
                  dirmngr.socket pk-debconf-helper.socket; do
        ln -sf /dev/null "$W/config/systemd/user/$socket"
    done
    slice="vigil-test-$$.slice"
    echo "$cg2/$slice" > "$W/cgroup"
    echo "$slice" > "$W/slice"
    cat > "$W/inner.sh" <<INNER
#!/bin/bash
set -e
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount --bind /run/systemd/journal "$W/jbind"
mount -t tmpfs -o mode=755 tmpfs /run/systemd
mkdir -p /run/systemd/system /run/systemd/journal /run/systemd/inaccessible
mount --move "$W/jbind" /run/systemd/journal
# What PID 1 would have made: the inaccessible nodes that ProtectKernelTunables=,
# InaccessiblePaths= and friends mount over paths in a unit's namespace.
cd /run/systemd/inaccessible
touch reg && mkdir dir && mkfifo fifo && mknod chr c 0 0 && mknod blk b 0 0
python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")'
chmod 0000 reg dir fifo chr blk sock
cd /
exec /lib/systemd/systemd --user --unit=harness.target --log-target=journal
INNER
    chmod +x "$W/inner.sh"
    cat > "$W/launch.sh" <<LAUNCH
#!/bin/bash
mkdir -p "$cg2/$slice/user@0.service"
echo \$\$ > "$cg2/$slice/user@0.service/cgroup.procs"
exec unshare --mount --cgroup --propagation private -- "$W/inner.sh"
LAUNCH
    chmod +x "$W/launch.sh"
    setsid "$W/launch.sh" </dev/null >"$W/manager.log" 2>&1 &
    pid=$!
    echo "$pid" > "$W/pid"
    for _ in $(seq 500); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "the manager exited:" >&2; cat "$W/manager.log" >&2; exit 1
        fi
        state=$(systemctl --user show -p SystemState --value 2>/dev/null || true)
        [ "$state" = running ] && { echo "$pid"; exit 0; }
        sleep 0.02
    done
    echo "the manager did not reach 'running' (last: ${state:-none})" >&2
    exit 1
    ;;
stop)
    pid=$(cat "$W/pid" 2>/dev/null || true)
    cgroup=$(cat "$W/cgroup" 2>/dev/null || true)
    if [ -n "$pid" ]; then
        systemctl --user exit >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 300); do
            state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)
            [ "$state" = Z ] || [ "$state" = gone ] && break
            sleep 0.01
        done
    fi
    if [ -n "$cgroup" ] && [ -d "$cgroup" ]; then
        # Whatever is left in our subtree, and only there.
        find "$cgroup" -name cgroup.procs | while read -r procs; do
            while read -r left; do kill -KILL "$left" 2>/dev/null || true; done < "$procs"
        done
        for _ in $(seq 100); do
            find "$cgroup" -depth -type d -exec rmdir {} \; 2>/dev/null || true
            [ -d "$cgroup" ] || break
            sleep 0.02
        done
        [ ! -d "$cgroup" ] || { echo "could not remove $cgroup" >&2; exit 1; }
    fi
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
