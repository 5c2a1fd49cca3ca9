// CPython (Debian libpython3-dev, pkg-config python3-embed), used only with the Python trait.
// <features.h> first: pyconfig.h defines _GNU_SOURCE, which would otherwise change glibc's fd_set
// and clash with Dispatch's view of it (STYLE.md §4).
#include <features.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>
