// libyaml (Debian libyaml-dev, pkg-config yaml-0.1).
// <features.h> first: keeps glibc's fd_set identical across every C module (STYLE.md §4).
#include <features.h>
#include <yaml.h>
