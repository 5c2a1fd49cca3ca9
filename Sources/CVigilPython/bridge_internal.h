// Private to the bridge: what the module files share. Includes Python.h.
#ifndef VIGIL_PYTHON_BRIDGE_INTERNAL_H
#define VIGIL_PYTHON_BRIDGE_INTERNAL_H

#ifdef VIGIL_WITH_PYTHON
#include <features.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "vigil_python_bridge.h"

extern vpb_callbacks vpb_host;

// A str array built from a tags argument: a list or tuple (None: empty); items that are not
// str are dropped, as the Agent does. On a bad shape sets TypeError "tags must be a sequence"
// and returns -1. Release with vpb_tags_free; the strings are borrowed from the items, which
// `owner` keeps alive.
typedef struct vpb_tags {
    const char **items;
    size_t count;
    PyObject *owner;
} vpb_tags;

int vpb_tags_from(PyObject *tags, vpb_tags *out);
void vpb_tags_free(vpb_tags *tags);

// A host string (from a callback) as a new str, or None for NULL; the string is released.
PyObject *vpb_take_string(char *value);

// The headers() dict both datadog_agent and util export.
PyObject *vpb_headers(PyObject *self, PyObject *args, PyObject *kwargs);
#endif

#endif
