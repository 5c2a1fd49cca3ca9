// Helpers shared by the builtin modules; see bridge_internal.h.
#include "bridge_internal.h"

#ifdef VIGIL_WITH_PYTHON
#include <stdlib.h>

int vpb_tags_from(PyObject *tags, vpb_tags *out) {
    out->items = NULL;
    out->count = 0;
    out->owner = NULL;
    if (tags == NULL || tags == Py_None) return 0;
    if (!PyList_Check(tags) && !PyTuple_Check(tags)) {
        PyErr_SetString(PyExc_TypeError, "tags must be a sequence");
        return -1;
    }
    // A snapshot tuple: a list the check mutates from another thread cannot move under us.
    PyObject *items = PySequence_Tuple(tags);
    if (!items) return -1;
    Py_ssize_t size = PyTuple_GET_SIZE(items);
    out->items = size ? malloc(sizeof(char *) * (size_t)size) : NULL;
    if (size && !out->items) {
        Py_DECREF(items);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t index = 0; index < size; index++) {
        PyObject *item = PyTuple_GET_ITEM(items, index);
        if (!PyUnicode_Check(item)) continue;
        const char *text = PyUnicode_AsUTF8(item);
        if (!text) {  // a str with lone surrogates: drop it like any other unusable tag
            PyErr_Clear();
            continue;
        }
        out->items[out->count++] = text;
    }
    out->owner = items;
    return 0;
}

void vpb_tags_free(vpb_tags *tags) {
    free(tags->items);
    Py_XDECREF(tags->owner);
    tags->items = NULL;
    tags->owner = NULL;
}

PyObject *vpb_take_string(char *value) {
    if (!value) Py_RETURN_NONE;
    PyObject *result = PyUnicode_DecodeUTF8(value, (Py_ssize_t)strlen(value), "replace");
    vpb_host.release_string(value);
    return result;
}

PyObject *vpb_headers(PyObject *self, PyObject *args, PyObject *kwargs) {
    (void)self;
    static char *keywords[] = {"agentConfig", "http_host", NULL};
    PyObject *agent_config = NULL, *http_host = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:headers", keywords, &agent_config, &http_host)) return NULL;
    PyObject *version = vpb_host.get_version ? vpb_take_string(vpb_host.get_version()) : PyUnicode_FromString("");
    if (!version) return NULL;
    PyObject *agent = version == Py_None ? PyUnicode_FromString("Datadog Agent/")
                                         : PyUnicode_FromFormat("Datadog Agent/%U", version);
    Py_DECREF(version);
    if (!agent) return NULL;
    PyObject *headers = Py_BuildValue("{s:N,s:s,s:s}", "User-Agent", agent, "Content-Type",
                                      "application/x-www-form-urlencoded", "Accept", "text/html, */*");
    if (headers && http_host != Py_None && PyDict_SetItemString(headers, "Host", http_host) < 0) {
        Py_CLEAR(headers);
    }
    return headers;
}
#endif
