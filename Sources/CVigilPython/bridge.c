// Interpreter start-up, the GIL, exceptions and object helpers; see vigil_python_bridge.h.
#include "vigil_python_bridge.h"
#include <stdio.h>

#ifdef VIGIL_WITH_PYTHON
#include "bridge_internal.h"
#include <datetime.h>
#include <string.h>

vpb_callbacks vpb_host;
static PyThreadState *vpb_main_state;

PyObject *vpb_init_aggregator(void);
PyObject *vpb_init_datadog_agent(void);
PyObject *vpb_init_util_private(void);
PyObject *vpb_init_util(void);
PyObject *vpb_init_tagger(void);
PyObject *vpb_init_containers(void);
PyObject *vpb_init_kubeutil(void);

void vpb_set_callbacks(const vpb_callbacks *callbacks) { vpb_host = *callbacks; }

static int vpb_fail(vpb_error *error, const char *what) {
    snprintf(error->message, sizeof error->message, "%s", what);
    return -1;
}

static int vpb_fail_python(vpb_error *error, const char *what) {
    vpb_error message, traceback;
    if (vpb_take_exception(&message, &traceback) < 0) return vpb_fail(error, what);
    snprintf(error->message, sizeof error->message, "%s: %s%s%s", what, message.message,
             traceback.message[0] ? "\n" : "", traceback.message);
    return -1;
}

int vpb_start(const char *program_name, const char *const *paths, size_t path_count, const char *host_name,
              const char *host_source, void **host_module, vpb_error *error) {
    // PyImport_AppendInittab keeps the name pointer: static strings only.
    if (PyImport_AppendInittab("aggregator", vpb_init_aggregator) < 0 ||
        PyImport_AppendInittab("datadog_agent", vpb_init_datadog_agent) < 0 ||
        PyImport_AppendInittab("_util", vpb_init_util_private) < 0 ||
        PyImport_AppendInittab("util", vpb_init_util) < 0 ||
        PyImport_AppendInittab("tagger", vpb_init_tagger) < 0 ||
        PyImport_AppendInittab("containers", vpb_init_containers) < 0 ||
        PyImport_AppendInittab("kubeutil", vpb_init_kubeutil) < 0) {
        return vpb_fail(error, "could not register the builtin modules");
    }

    PyPreConfig preconfig;
    PyPreConfig_InitPythonConfig(&preconfig);
    preconfig.utf8_mode = 1;
    PyStatus status = Py_PreInitialize(&preconfig);
    if (PyStatus_Exception(status)) return vpb_fail(error, status.err_msg ? status.err_msg : "Py_PreInitialize failed");

    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.install_signal_handlers = 0;  // Vigil owns the signals
    config.write_bytecode = 0;           // never write __pycache__ into checks.d or a ConfigMap
    config.parse_argv = 0;
    config.user_site_directory = 0;
    status = PyConfig_SetBytesString(&config, &config.program_name, program_name);
    if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) return vpb_fail(error, status.err_msg ? status.err_msg : "Py_InitializeFromConfig failed");

    PyObject *sys_path = PySys_GetObject("path");  // borrowed
    for (size_t index = 0; sys_path && index < path_count; index++) {
        PyObject *entry = PyUnicode_FromString(paths[index]);
        if (!entry || PyList_Append(sys_path, entry) < 0) {
            Py_XDECREF(entry);
            return vpb_fail_python(error, "could not extend sys.path");
        }
        Py_DECREF(entry);
    }
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) return vpb_fail_python(error, "could not import datetime");
    PyObject *base = PyImport_ImportModule("datadog_checks.base");
    if (!base) return vpb_fail_python(error, "could not import datadog_checks.base");
    Py_DECREF(base);

    PyObject *code = Py_CompileString(host_source, host_name, Py_file_input);
    PyObject *module = code ? PyImport_ExecCodeModule(host_name, code) : NULL;
    Py_XDECREF(code);
    if (!module) return vpb_fail_python(error, "could not load Vigil's host module");
    *host_module = module;
    vpb_main_state = PyEval_SaveThread();
    return 0;
}

static _Thread_local int vpb_thread_primed;

int vpb_gil_acquire(void) {
    if (!vpb_thread_primed) {
        // Ensure creates this thread's state; releasing the GIL with SaveThread (not
        // PyGILState_Release) keeps it, so later Ensure/Release pairs reuse it.
        PyGILState_Ensure();
        PyEval_SaveThread();
        vpb_thread_primed = 1;
    }
    return (int)PyGILState_Ensure();
}

void vpb_gil_release(int state) { PyGILState_Release((PyGILState_STATE)state); }

int vpb_take_exception(vpb_error *message, vpb_error *traceback) {
    message->message[0] = 0;
    traceback->message[0] = 0;
    if (!PyErr_Occurred()) return -1;
    PyObject *type, *value, *trace;
    PyErr_Fetch(&type, &value, &trace);
    PyErr_NormalizeException(&type, &value, &trace);
    PyObject *lines = NULL;
    PyObject *module = PyImport_ImportModule("traceback");
    if (module) {
        lines = PyObject_CallMethod(module, "format_exception", "OOO", type, value ? value : Py_None,
                                    trace ? trace : Py_None);
        Py_DECREF(module);
    }
    PyObject *empty = lines ? PyUnicode_FromString("") : NULL;
    PyObject *joined = empty ? PyUnicode_Join(empty, lines) : NULL;
    const char *text = joined ? PyUnicode_AsUTF8(joined) : NULL;
    snprintf(traceback->message, sizeof traceback->message, "%s", text ? text : "");
    PyObject *name = type ? PyObject_GetAttrString(type, "__name__") : NULL;
    PyObject *detail = value ? PyObject_Str(value) : NULL;
    const char *name_text = name ? PyUnicode_AsUTF8(name) : NULL;
    const char *detail_text = detail ? PyUnicode_AsUTF8(detail) : NULL;
    if (detail_text && detail_text[0])
        snprintf(message->message, sizeof message->message, "%s: %s", name_text ? name_text : "Exception", detail_text);
    else
        snprintf(message->message, sizeof message->message, "%s", name_text ? name_text : "Exception");
    PyErr_Clear();  // anything raised while formatting
    Py_XDECREF(name);
    Py_XDECREF(detail);
    Py_XDECREF(joined);
    Py_XDECREF(empty);
    Py_XDECREF(lines);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(trace);
    return 0;
}

unsigned long vpb_thread_ident(void) { return PyThread_get_thread_ident(); }

int vpb_interrupt(unsigned long ident, int raise) {
    return PyThreadState_SetAsyncExc(ident, raise ? PyExc_TimeoutError : NULL);
}

void vpb_incref(void *object) { Py_XINCREF((PyObject *)object); }
void vpb_decref(void *object) { Py_XDECREF((PyObject *)object); }

void *vpb_none(void) { Py_RETURN_NONE; }

void *vpb_bool(int value) {
    if (value) Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

void *vpb_date(int year, int month, int day) { return PyDate_FromDate(year, month, day); }

void *vpb_datetime(int year, int month, int day, int hour, int minute, int second, int microsecond,
                   int has_offset, int offset_minutes) {
    if (!has_offset) return PyDateTime_FromDateAndTime(year, month, day, hour, minute, second, microsecond);
    PyObject *delta = PyDelta_FromDSU(0, offset_minutes * 60, 0);
    if (!delta) return NULL;
    PyObject *zone = PyTimeZone_FromOffset(delta);
    Py_DECREF(delta);
    if (!zone) return NULL;
    PyObject *value = PyDateTimeAPI->DateTime_FromDateAndTime(year, month, day, hour, minute, second, microsecond,
                                                              zone, PyDateTimeAPI->DateTimeType);
    Py_DECREF(zone);
    return value;
}

#else

void vpb_set_callbacks(const vpb_callbacks *callbacks) { (void)callbacks; }

int vpb_start(const char *program_name, const char *const *paths, size_t path_count, const char *host_name,
              const char *host_source, void **host_module, vpb_error *error) {
    (void)program_name; (void)paths; (void)path_count; (void)host_name; (void)host_source;
    *host_module = 0;
    snprintf(error->message, sizeof error->message, "built without Python support");
    return -1;
}

#endif
