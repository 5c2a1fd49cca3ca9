// The smaller builtin modules: `_util` (subprocesses), `util` (headers), `tagger`, `containers`
// and `kubeutil`. Vigil has no tagger or container inventory, so those answer "nothing".
#include "bridge_internal.h"

#ifdef VIGIL_WITH_PYTHON
#include <stdlib.h>
#include <string.h>

static PyObject *empty_output_error;

// A NULL-terminated array of UTF-8 strings borrowed from `items` (a tuple of str), or NULL
// with TypeError `message`.
static const char **string_array(PyObject *items, const char *message) {
    Py_ssize_t size = PyTuple_GET_SIZE(items);
    const char **array = calloc((size_t)size + 1, sizeof(char *));
    if (!array) return (const char **)PyErr_NoMemory();
    for (Py_ssize_t index = 0; index < size; index++) {
        PyObject *item = PyTuple_GET_ITEM(items, index);
        array[index] = PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
        if (!array[index]) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, message);
            free(array);
            return NULL;
        }
    }
    return array;
}

static PyObject *subprocess_output(PyObject *self, PyObject *args, PyObject *kwargs) {
    (void)self;
    static char *keywords[] = {"command", "raise_on_empty", "env", NULL};
    PyObject *command, *raise_on_empty = Py_False, *env = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O$O:subprocess_output", keywords, &command, &raise_on_empty, &env))
        return NULL;
    if (!PyList_Check(command)) {
        PyErr_SetString(PyExc_TypeError, "command args is not a list");
        return NULL;
    }
    if (PyList_GET_SIZE(command) == 0) {
        PyErr_SetString(PyExc_TypeError, "invalid command: empty list");
        return NULL;
    }
    if (env != Py_None && !PyDict_Check(env)) {
        PyErr_SetString(PyExc_TypeError, "env is not a dict");
        return NULL;
    }
    int must_have_output = PyObject_IsTrue(raise_on_empty);
    if (must_have_output < 0) return NULL;

    PyObject *argv_items = PySequence_Tuple(command), *env_items = NULL;
    if (!argv_items) return NULL;
    if (env != Py_None) {
        // "KEY=value" strings, built in Python so that str() applies to the values.
        env_items = PyTuple_New(PyDict_Size(env));
        PyObject *key, *value;
        Py_ssize_t position = 0, index = 0;
        while (env_items && PyDict_Next(env, &position, &key, &value)) {
            PyObject *entry = PyUnicode_FromFormat("%S=%S", key, value);
            if (!entry) Py_CLEAR(env_items);
            else PyTuple_SET_ITEM(env_items, index++, entry);
        }
        if (!env_items) {
            Py_DECREF(argv_items);
            return NULL;
        }
    }
    const char **argv = string_array(argv_items, "command args must be strings");
    const char **envp = argv && env_items ? string_array(env_items, "env entries must be strings") : NULL;
    if (!argv || (env_items && !envp)) {
        free(argv);
        Py_DECREF(argv_items);
        Py_XDECREF(env_items);
        return NULL;
    }

    char *out = NULL, *err = NULL, *error = NULL;
    size_t out_length = 0, err_length = 0;
    int return_code = 0, status = -1;
    if (vpb_host.subprocess_output) {
        Py_BEGIN_ALLOW_THREADS
        status = vpb_host.subprocess_output(argv, envp, &out, &out_length, &err, &err_length, &return_code, &error);
        Py_END_ALLOW_THREADS
    }
    free(argv);
    free(envp);
    Py_DECREF(argv_items);
    Py_XDECREF(env_items);
    if (status != 0) {
        PyErr_SetString(PyExc_RuntimeError, error ? error : "subprocesses are not available");
        if (error) vpb_host.release_string(error);
        return NULL;
    }
    PyObject *result = NULL;
    if (must_have_output && out_length == 0) {
        PyErr_SetString(empty_output_error, "get_subprocess_output expected output but had none.");
    } else {
        result = Py_BuildValue("(s#s#i)", out ? out : "", (Py_ssize_t)out_length, err ? err : "",
                               (Py_ssize_t)err_length, return_code);
        if (!result && PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
            // Output that is not UTF-8: decode with replacement characters rather than fail the check.
            PyErr_Clear();
            PyObject *o = PyUnicode_DecodeUTF8(out ? out : "", (Py_ssize_t)out_length, "replace");
            PyObject *e = PyUnicode_DecodeUTF8(err ? err : "", (Py_ssize_t)err_length, "replace");
            if (o && e) result = Py_BuildValue("(OOi)", o, e, return_code);
            Py_XDECREF(o);
            Py_XDECREF(e);
        }
    }
    if (out) vpb_host.release_string(out);
    if (err) vpb_host.release_string(err);
    return result;
}

static PyMethodDef util_private_methods[] = {
    {"subprocess_output", (PyCFunction)(void (*)(void))subprocess_output, METH_VARARGS | METH_KEYWORDS,
     "Run a command; (stdout, stderr, returncode)."},
    {"get_subprocess_output", (PyCFunction)(void (*)(void))subprocess_output, METH_VARARGS | METH_KEYWORDS,
     "Run a command; (stdout, stderr, returncode)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef util_private = {PyModuleDef_HEAD_INIT, "_util", "Subprocesses through Vigil.", -1,
                                          util_private_methods, NULL, NULL, NULL, NULL};

PyObject *vpb_init_util_private(void) {
    PyObject *m = PyModule_Create(&util_private);
    if (!m) return NULL;
    if (!empty_output_error) {
        empty_output_error = PyErr_NewException("_util.SubprocessOutputEmptyError", NULL, NULL);
        if (!empty_output_error) {
            Py_DECREF(m);
            return NULL;
        }
    }
    Py_INCREF(empty_output_error);
    if (PyModule_AddObject(m, "SubprocessOutputEmptyError", empty_output_error) < 0) {
        Py_DECREF(empty_output_error);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

static PyMethodDef util_methods[] = {
    {"headers", (PyCFunction)(void (*)(void))vpb_headers, METH_VARARGS | METH_KEYWORDS, "Default HTTP headers."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef util = {PyModuleDef_HEAD_INIT, "util", "Agent utilities.", -1, util_methods,
                                  NULL, NULL, NULL, NULL};

PyObject *vpb_init_util(void) { return PyModule_Create(&util); }

static PyObject *tagger_tag(PyObject *self, PyObject *args) {
    (void)self;
    const char *entity;
    int cardinality;
    if (!PyArg_ParseTuple(args, "si", &entity, &cardinality)) return NULL;
    if (cardinality < 0 || cardinality > 2) {
        PyErr_SetString(PyExc_TypeError, "Invalid cardinality");
        return NULL;
    }
    return PyList_New(0);
}

static PyObject *tagger_get_tags(PyObject *self, PyObject *args) {
    (void)self;
    const char *entity;
    int high_cardinality;
    if (!PyArg_ParseTuple(args, "si", &entity, &high_cardinality)) return NULL;
    return PyList_New(0);
}

static PyMethodDef tagger_methods[] = {
    {"tag", tagger_tag, METH_VARARGS, "An entity's tags (none under Vigil)."},
    {"get_tags", tagger_get_tags, METH_VARARGS, "Deprecated: an entity's tags (none under Vigil)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef tagger = {PyModuleDef_HEAD_INIT, "tagger", "Entity tags.", -1, tagger_methods,
                                    NULL, NULL, NULL, NULL};

PyObject *vpb_init_tagger(void) {
    PyObject *m = PyModule_Create(&tagger);
    if (!m) return NULL;
    if (PyModule_AddIntConstant(m, "LOW", 0) < 0 || PyModule_AddIntConstant(m, "ORCHESTRATOR", 1) < 0 ||
        PyModule_AddIntConstant(m, "HIGH", 2) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

static PyObject *is_excluded(PyObject *self, PyObject *args) {
    (void)self;
    const char *name, *image, *namespace = NULL;
    if (!PyArg_ParseTuple(args, "ss|s", &name, &image, &namespace)) return NULL;
    Py_RETURN_FALSE;
}

static PyMethodDef containers_methods[] = {
    {"is_excluded", is_excluded, METH_VARARGS, "Whether a container is excluded (never, under Vigil)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef containers = {PyModuleDef_HEAD_INIT, "containers", "Container filters.", -1,
                                        containers_methods, NULL, NULL, NULL, NULL};

PyObject *vpb_init_containers(void) { return PyModule_Create(&containers); }

static PyObject *get_connection_info(PyObject *self, PyObject *args) {
    (void)self;
    (void)args;
    return PyDict_New();
}

static PyMethodDef kubeutil_methods[] = {
    {"get_connection_info", get_connection_info, METH_NOARGS, "Kubelet connection details ({} under Vigil)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef kubeutil = {PyModuleDef_HEAD_INIT, "kubeutil", "Kubelet connection.", -1, kubeutil_methods,
                                      NULL, NULL, NULL, NULL};

PyObject *vpb_init_kubeutil(void) { return PyModule_Create(&kubeutil); }
#endif
