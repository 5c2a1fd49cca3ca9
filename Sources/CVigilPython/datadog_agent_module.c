// The `datadog_agent` builtin module: configuration, host identity, logging, metadata, the
// persistent cache and the rest of the Agent services checks-base calls (COMPAT-DATADOG.md §5).
#include "bridge_internal.h"

#ifdef VIGIL_WITH_PYTHON
#include <string.h>

static PyObject *json_function(const char *name) {
    PyObject *json = PyImport_ImportModule("json");
    if (!json) return NULL;
    PyObject *function = PyObject_GetAttrString(json, name);
    Py_DECREF(json);
    return function;
}

static PyObject *get_config(PyObject *self, PyObject *args) {
    (void)self;
    const char *key;
    if (!PyArg_ParseTuple(args, "s", &key)) return NULL;
    if (!vpb_host.get_config) Py_RETURN_NONE;
    char *text = vpb_host.get_config(key);
    if (!text) Py_RETURN_NONE;
    PyObject *loads = json_function("loads");
    PyObject *value = loads ? PyObject_CallFunction(loads, "s", text) : NULL;
    Py_XDECREF(loads);
    vpb_host.release_string(text);
    return value;
}

#define STRING_GETTER(function)                                  \
    static PyObject *function(PyObject *self, PyObject *args) {  \
        (void)self;                                              \
        (void)args;                                              \
        if (!vpb_host.function) Py_RETURN_NONE;                  \
        return vpb_take_string(vpb_host.function());             \
    }
STRING_GETTER(get_hostname)
STRING_GETTER(get_clustername)
STRING_GETTER(get_version)
STRING_GETTER(get_host_tags)

static PyObject *tracemalloc_enabled(PyObject *self, PyObject *args) {
    (void)self;
    (void)args;
    if (vpb_host.tracemalloc_enabled && vpb_host.tracemalloc_enabled()) Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

static PyObject *log_message(PyObject *self, PyObject *args) {
    (void)self;
    const char *message;
    int level;
    if (!PyArg_ParseTuple(args, "si", &message, &level)) return NULL;
    if (vpb_host.log) vpb_host.log(message, level);
    Py_RETURN_NONE;
}

static PyObject *send_log(PyObject *self, PyObject *args) {
    (void)self;
    const char *line, *check_id;
    if (!PyArg_ParseTuple(args, "ss", &line, &check_id)) return NULL;
    if (vpb_host.send_log) vpb_host.send_log(line, check_id);
    Py_RETURN_NONE;
}

static PyObject *set_check_metadata(PyObject *self, PyObject *args) {
    (void)self;
    const char *check_id, *name, *value;
    if (!PyArg_ParseTuple(args, "sss", &check_id, &name, &value)) return NULL;
    if (vpb_host.set_check_metadata) vpb_host.set_check_metadata(check_id, name, value);
    Py_RETURN_NONE;
}

// [(hostname, {source_type: [tags]}), …], checked as the Agent checks it, then handed over as
// JSON text.
static PyObject *set_external_tags(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *list;
    if (!PyArg_ParseTuple(args, "O", &list)) return NULL;
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "tags must be a list");
        return NULL;
    }
    for (Py_ssize_t index = 0; index < PyList_GET_SIZE(list); index++) {
        PyObject *entry = PyList_GET_ITEM(list, index);
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(entry, 0)) ||
            !PyDict_Check(PyTuple_GET_ITEM(entry, 1))) {
            PyErr_SetString(PyExc_TypeError, "external host tags list must contain only (hostname, {source_type: [tags]}) tuples");
            return NULL;
        }
        PyObject *key, *value;
        Py_ssize_t position = 0;
        while (PyDict_Next(PyTuple_GET_ITEM(entry, 1), &position, &key, &value)) {
            if (!PyUnicode_Check(key) || !PyList_Check(value)) {
                PyErr_SetString(PyExc_TypeError, "external host tags must map a source type (str) to a list of tags");
                return NULL;
            }
        }
    }
    PyObject *dumps = json_function("dumps");
    PyObject *json = dumps ? PyObject_CallOneArg(dumps, list) : NULL;
    Py_XDECREF(dumps);
    if (!json) return NULL;
    const char *text = PyUnicode_AsUTF8(json);
    if (text && vpb_host.set_external_tags) vpb_host.set_external_tags(text);
    Py_DECREF(json);
    if (!text) return NULL;
    Py_RETURN_NONE;
}

static PyObject *write_persistent_cache(PyObject *self, PyObject *args) {
    (void)self;
    const char *key, *value;
    if (!PyArg_ParseTuple(args, "ss", &key, &value)) return NULL;
    if (vpb_host.write_persistent_cache) vpb_host.write_persistent_cache(key, value);
    Py_RETURN_NONE;
}

static PyObject *read_persistent_cache(PyObject *self, PyObject *args) {
    (void)self;
    const char *key;
    if (!PyArg_ParseTuple(args, "s", &key)) return NULL;
    char *value = vpb_host.read_persistent_cache ? vpb_host.read_persistent_cache(key) : NULL;
    if (!value) {
        PyErr_SetString(PyExc_RuntimeError, "failed to read data");
        return NULL;
    }
    return vpb_take_string(value);
}

static PyObject *not_available(const char *function) {
    PyErr_Format(PyExc_RuntimeError,
                 "datadog_agent.%s is not available under Vigil: the obfuscator lives in the Datadog Agent's Go code",
                 function);
    return NULL;
}

static PyObject *obfuscate_sql(PyObject *self, PyObject *args, PyObject *kwargs) {
    (void)self;
    (void)args;
    (void)kwargs;
    return not_available("obfuscate_sql");
}

static PyObject *obfuscate_sql_exec_plan(PyObject *self, PyObject *args, PyObject *kwargs) {
    (void)self;
    (void)args;
    (void)kwargs;
    return not_available("obfuscate_sql_exec_plan");
}

static PyObject *obfuscate_mongodb_string(PyObject *self, PyObject *args) {
    (void)self;
    (void)args;
    return not_available("obfuscate_mongodb_string");
}

static PyObject *get_process_start_time(PyObject *self, PyObject *args) {
    (void)self;
    (void)args;
    return PyFloat_FromDouble(vpb_host.get_process_start_time ? vpb_host.get_process_start_time() : 0.0);
}

static PyObject *emit_agent_telemetry(PyObject *self, PyObject *args) {
    (void)self;
    const char *check_name, *metric_name, *metric_type;
    double value;
    if (!PyArg_ParseTuple(args, "ssds", &check_name, &metric_name, &value, &metric_type)) return NULL;
    if (vpb_host.emit_agent_telemetry) vpb_host.emit_agent_telemetry(check_name, metric_name, value, metric_type);
    Py_RETURN_NONE;
}

// Accepted and ignored: Vigil has no Agent health platform to report to.
static PyObject *ignored(PyObject *self, PyObject *args, PyObject *kwargs) {
    (void)self;
    (void)args;
    (void)kwargs;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get_config", get_config, METH_VARARGS, "A configuration value, or None."},
    {"get_hostname", get_hostname, METH_NOARGS, "The host name."},
    {"get_clustername", get_clustername, METH_NOARGS, "The cluster name, or None."},
    {"get_version", get_version, METH_NOARGS, "The host's version."},
    {"get_host_tags", get_host_tags, METH_NOARGS, "The host tags as JSON."},
    {"tracemalloc_enabled", tracemalloc_enabled, METH_NOARGS, "Whether checks are memory-profiled."},
    {"headers", (PyCFunction)(void (*)(void))vpb_headers, METH_VARARGS | METH_KEYWORDS, "Default HTTP headers."},
    {"log", log_message, METH_VARARGS, "Log through Vigil."},
    {"send_log", send_log, METH_VARARGS, "Send a log line."},
    {"set_check_metadata", set_check_metadata, METH_VARARGS, "Record check metadata."},
    {"set_external_tags", set_external_tags, METH_VARARGS, "Record external host tags."},
    {"write_persistent_cache", write_persistent_cache, METH_VARARGS, "Persist a value."},
    {"read_persistent_cache", read_persistent_cache, METH_VARARGS, "Read a persisted value."},
    {"obfuscate_sql", (PyCFunction)(void (*)(void))obfuscate_sql, METH_VARARGS | METH_KEYWORDS, "Not available."},
    {"obfuscate_sql_exec_plan", (PyCFunction)(void (*)(void))obfuscate_sql_exec_plan, METH_VARARGS | METH_KEYWORDS,
     "Not available."},
    {"obfuscate_mongodb_string", obfuscate_mongodb_string, METH_VARARGS, "Not available."},
    {"get_process_start_time", get_process_start_time, METH_NOARGS, "When Vigil started (epoch seconds)."},
    {"emit_agent_telemetry", emit_agent_telemetry, METH_VARARGS, "Record a telemetry value."},
    {"report_issue", (PyCFunction)(void (*)(void))ignored, METH_VARARGS | METH_KEYWORDS, "Ignored."},
    {"resolve_issue", (PyCFunction)(void (*)(void))ignored, METH_VARARGS | METH_KEYWORDS, "Ignored."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "datadog_agent", "Vigil's Agent services bridge.", -1,
                                    methods, NULL, NULL, NULL, NULL};

PyObject *vpb_init_datadog_agent(void) { return PyModule_Create(&module); }
#endif
