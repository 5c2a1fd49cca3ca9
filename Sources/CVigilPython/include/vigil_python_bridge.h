// The C side of Vigil's Python host: the builtin modules datadog_checks.base imports
// (aggregator, datadog_agent, _util, util, tagger, containers, kubeutil), each calling back into
// Swift through a table of plain function pointers, and the few CPython calls Swift cannot make
// (variadic argument parsing, macros, PyConfig start-up).
//
// Conventions: every symbol is prefixed vpb_. This header does not include Python.h: Python
// objects are `void *` here (PyObject * in the implementation). Functions returning objects
// return new references and need the GIL. Strings handed from Swift to C are malloc'd by Swift
// and given back through `release_string`, so both sides can count them.
#ifndef VIGIL_PYTHON_BRIDGE_H
#define VIGIL_PYTHON_BRIDGE_H

#include <stddef.h>

typedef struct vpb_event {
    const char *title;
    const char *text;
    long long timestamp;      // 0 when absent or not an integer ("now")
    const char *priority;     // NULL when absent
    const char *host;
    const char *alert_type;
    const char *aggregation_key;
    const char *source_type_name;
    const char *event_type;
    const char *const *tags;
    size_t tag_count;
} vpb_event;

typedef struct vpb_callbacks {
    // aggregator: routed by check_id; strings are borrowed for the duration of the call.
    void (*submit_metric)(const char *check_id, int type, const char *name, double value,
                          const char *const *tags, size_t tag_count, const char *hostname, int flush_first_value);
    void (*submit_service_check)(const char *check_id, const char *name, int status,
                                 const char *const *tags, size_t tag_count, const char *hostname, const char *message);
    void (*submit_event)(const char *check_id, const vpb_event *event);
    void (*submit_histogram_bucket)(const char *check_id, const char *name, long long value, double lower, double upper,
                                    int monotonic, const char *hostname, const char *const *tags, size_t tag_count,
                                    int flush_first_value);
    void (*submit_event_platform_event)(const char *check_id, const char *raw, size_t raw_length, const char *event_type);

    // datadog_agent. Returned strings are owned by the caller and released with release_string;
    // NULL means None.
    char *(*get_config)(const char *key);  // JSON text of the value
    char *(*get_hostname)(void);
    char *(*get_clustername)(void);
    char *(*get_version)(void);
    char *(*get_host_tags)(void);
    int (*tracemalloc_enabled)(void);
    void (*log)(const char *message, int level);
    void (*set_check_metadata)(const char *check_id, const char *name, const char *value);
    void (*set_external_tags)(const char *json);
    void (*write_persistent_cache)(const char *key, const char *value);
    char *(*read_persistent_cache)(const char *key);  // NULL: could not be read
    void (*send_log)(const char *log_line, const char *check_id);
    double (*get_process_start_time)(void);
    void (*emit_agent_telemetry)(const char *check_name, const char *metric_name, double value, const char *metric_type);

    // _util.get_subprocess_output, called with the GIL released. argv and envp are
    // NULL-terminated (envp NULL: inherit). On success returns 0 and sets the outputs (owned by
    // the caller, released with release_string); on failure returns -1 and sets *error.
    int (*subprocess_output)(const char *const *argv, const char *const *envp, char **out, size_t *out_length,
                             char **err, size_t *err_length, int *return_code, char **error);

    void (*release_string)(char *string);
} vpb_callbacks;

typedef struct vpb_error {
    char message[2048];
} vpb_error;

// Installs the callbacks (copied). Call before vpb_start.
void vpb_set_callbacks(const vpb_callbacks *callbacks);

// Registers the builtin modules, initialises CPython with `program_name` (the venv's
// bin/python3, so that getpath finds its site-packages), UTF-8 mode, no signal handlers and no
// bytecode writing; appends `paths` to sys.path; imports datadog_checks.base; runs
// `host_source` as the module `host_name` and stores a new reference to it in `*host_module`;
// then releases the GIL (PyEval_SaveThread). Returns 0, or -1 with a message. Call once.
int vpb_start(const char *program_name, const char *const *paths, size_t path_count, const char *host_name,
              const char *host_source, void **host_module, vpb_error *error);

// The GIL for the calling thread: returns the state to hand to vpb_gil_release. The first call
// on a thread creates a thread state that lives as long as the thread, so that workers do not
// create and destroy one per run.
int vpb_gil_acquire(void);
void vpb_gil_release(int state);

// With the GIL held: the current exception as "Type: message" plus its formatted traceback
// (either may be empty), cleared. Returns -1 when no exception was set.
int vpb_take_exception(vpb_error *message, vpb_error *traceback);

// With the GIL held: the calling thread's identifier, for vpb_interrupt.
unsigned long vpb_thread_ident(void);
// With the GIL held: raise TimeoutError in thread `ident` at its next bytecode boundary; 0
// clears a pending one. Returns how many thread states were changed.
int vpb_interrupt(unsigned long ident, int raise);

void vpb_incref(void *object);
void vpb_decref(void *object);

// New references; the GIL must be held.
void *vpb_none(void);
void *vpb_bool(int value);
void *vpb_date(int year, int month, int day);
void *vpb_datetime(int year, int month, int day, int hour, int minute, int second, int microsecond,
                   int has_offset, int offset_minutes);

#endif
