// GNU extensions Swift's Glibc module does not show (they need _GNU_SOURCE), for spawning
// plugins without leaking descriptors into them.
#ifndef VIGIL_SPAWN_H
#define VIGIL_SPAWN_H

#include <features.h>
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start. 0, or -1 with errno.
int vigil_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor
/// from `lowest` up before exec. 0, or an error number.
int vigil_spawn_closefrom(posix_spawn_file_actions_t *actions, int lowest);

#endif
