// libsystemd (Debian libsystemd-dev, pkg-config libsystemd): sd_notify and the journal.
// <features.h> first: keeps glibc's fd_set identical across every C module (STYLE.md §4).
#include <features.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
