// The `aggregator` builtin module: what AgentCheck's submission methods call. Argument orders
// and parse formats are the Datadog Agent's (rtloader aggregator.c), except that histogram
// bucket bounds are parsed as doubles, not C floats, so bounds like 0.1 arrive exactly.
#include "bridge_internal.h"

#ifdef VIGIL_WITH_PYTHON

static PyObject *submit_metric(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *check, *tags;
    const char *check_id, *name, *hostname;
    int type;
    double value;
    unsigned char flush_first_value = 0;
    if (!PyArg_ParseTuple(args, "OsisdOs|b", &check, &check_id, &type, &name, &value, &tags, &hostname,
                          &flush_first_value)) return NULL;
    vpb_tags list;
    if (vpb_tags_from(tags, &list) < 0) return NULL;
    if (vpb_host.submit_metric)
        vpb_host.submit_metric(check_id, type, name, value, list.items, list.count, hostname, flush_first_value);
    vpb_tags_free(&list);
    Py_RETURN_NONE;
}

static PyObject *submit_service_check(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *check, *tags;
    const char *check_id, *name, *hostname, *message;
    int status;
    if (!PyArg_ParseTuple(args, "OssiOss", &check, &check_id, &name, &status, &tags, &hostname, &message)) return NULL;
    vpb_tags list;
    if (vpb_tags_from(tags, &list) < 0) return NULL;
    if (vpb_host.submit_service_check)
        vpb_host.submit_service_check(check_id, name, status, list.items, list.count, hostname, message);
    vpb_tags_free(&list);
    Py_RETURN_NONE;
}

// A str value of the event dict, or NULL when absent or not a str.
static const char *event_string(PyObject *event, const char *key) {
    PyObject *value = PyDict_GetItemString(event, key);  // borrowed
    if (!value || !PyUnicode_Check(value)) return NULL;
    const char *text = PyUnicode_AsUTF8(value);
    if (!text) PyErr_Clear();
    return text;
}

static PyObject *submit_event(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *check, *event;
    const char *check_id;
    if (!PyArg_ParseTuple(args, "OsO!", &check, &check_id, &PyDict_Type, &event)) return NULL;
    vpb_event converted = {0};
    converted.title = event_string(event, "msg_title");
    converted.text = event_string(event, "msg_text");
    PyObject *timestamp = PyDict_GetItemString(event, "timestamp");
    if (timestamp && PyLong_Check(timestamp)) {
        converted.timestamp = PyLong_AsLongLong(timestamp);
        if (PyErr_Occurred()) {  // out of range: "now", as for any invalid timestamp
            PyErr_Clear();
            converted.timestamp = 0;
        }
    }
    converted.priority = event_string(event, "priority");
    converted.host = event_string(event, "host");
    converted.alert_type = event_string(event, "alert_type");
    converted.aggregation_key = event_string(event, "aggregation_key");
    converted.source_type_name = event_string(event, "source_type_name");
    converted.event_type = event_string(event, "event_type");
    vpb_tags list = {0};
    PyObject *tags = PyDict_GetItemString(event, "tags");
    if (tags && vpb_tags_from(tags, &list) < 0) return NULL;
    converted.tags = list.items;
    converted.tag_count = list.count;
    if (vpb_host.submit_event) vpb_host.submit_event(check_id, &converted);
    vpb_tags_free(&list);
    Py_RETURN_NONE;
}

static PyObject *submit_histogram_bucket(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *check, *tags;
    const char *check_id, *name, *hostname;
    long long value;
    double lower, upper;
    int monotonic;
    unsigned char flush_first_value = 0;
    if (!PyArg_ParseTuple(args, "OssLddisO|b", &check, &check_id, &name, &value, &lower, &upper, &monotonic, &hostname,
                          &tags, &flush_first_value)) return NULL;
    vpb_tags list;
    if (vpb_tags_from(tags, &list) < 0) return NULL;
    if (vpb_host.submit_histogram_bucket)
        vpb_host.submit_histogram_bucket(check_id, name, value, lower, upper, monotonic, hostname, list.items, list.count,
                                         flush_first_value);
    vpb_tags_free(&list);
    Py_RETURN_NONE;
}

static PyObject *submit_event_platform_event(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *check;
    const char *check_id, *raw, *event_type;
    Py_ssize_t length;
    if (!PyArg_ParseTuple(args, "Oss#s", &check, &check_id, &raw, &length, &event_type)) return NULL;
    if (length > 2147483647) {
        PyErr_SetString(PyExc_ValueError, "event is too large");
        return NULL;
    }
    if (vpb_host.submit_event_platform_event)
        vpb_host.submit_event_platform_event(check_id, raw, (size_t)length, event_type);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"submit_metric", submit_metric, METH_VARARGS, "Submit a metric sample."},
    {"submit_service_check", submit_service_check, METH_VARARGS, "Submit a service check."},
    {"submit_event", submit_event, METH_VARARGS, "Submit an event."},
    {"submit_histogram_bucket", submit_histogram_bucket, METH_VARARGS, "Submit a histogram bucket."},
    {"submit_histogram_bucket_multi", submit_histogram_bucket, METH_VARARGS, "Submit a histogram bucket."},
    {"submit_event_platform_event", submit_event_platform_event, METH_VARARGS, "Submit an event platform event."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "aggregator", "Vigil's aggregator bridge.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyObject *vpb_init_aggregator(void) {
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    static const struct { const char *name; long value; } constants[] = {
        {"GAUGE", 0}, {"RATE", 1}, {"COUNT", 2}, {"MONOTONIC_COUNT", 3}, {"COUNTER", 4}, {"HISTOGRAM", 5}, {"HISTORATE", 6},
    };
    for (size_t index = 0; index < sizeof constants / sizeof constants[0]; index++) {
        if (PyModule_AddIntConstant(m, constants[index].name, constants[index].value) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
#endif
