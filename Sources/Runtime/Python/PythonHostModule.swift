/// The Python half of the host: loading a check class and running an instance, written in
/// Python because that is where the classes, tracebacks and JSON live. The interpreter runs it
/// as the module `vigil_host` at start-up. Each function is one synchronous call made with the
/// GIL held, and returns plain tuples of str, int and list, so the Swift side never inspects
/// Python types.
enum PythonHostModule {
    static let name = "vigil_host"

    static let source = #"""
import importlib
import json
import sys
import traceback
import tracemalloc

from datadog_checks.base import AgentCheck

REFUSED = 'The integration refused to load the check configuration, it may be too old or too new.'


def _import(name):
    """(module, None); (None, None) when no module has the name; (None, error) when one fails."""
    for module_name in ('datadog_checks.' + name, name):
        try:
            return importlib.import_module(module_name), None
        except ModuleNotFoundError as error:
            missing = error.name or ''
            if module_name == missing or module_name.startswith(missing + '.'):
                continue
            return None, "unable to import module '%s': %s" % (module_name, traceback.format_exc())
        except BaseException:
            return None, "unable to import module '%s': %s" % (module_name, traceback.format_exc())
    return None, None


def _leaf_class(module):
    for attribute in dir(module):
        value = getattr(module, attribute, None)
        try:
            if (
                isinstance(value, type)
                and issubclass(value, AgentCheck)
                and value is not AgentCheck
                and not value.__subclasses__()
            ):
                return value
        except TypeError:
            continue
    return None


def load(name, init_config, instance, check_id):
    """('loaded', check, version) | ('notfound', message) | ('failed', message) | ('skipped', message)"""
    module, error = _import(name)
    if error is not None:
        return ('failed', error)
    if module is None:
        return ('notfound', "no module named 'datadog_checks.%s' or '%s' on the Python path" % (name, name))
    cls = _leaf_class(module)
    if cls is None:
        return (
            'failed',
            "unable to find a subclass of the base check in module '%s': cannot find a subclass" % module.__name__,
        )
    try:
        check = cls(name=name, init_config=init_config, instances=(instance,))
    except BaseException as first:
        first_text = traceback.format_exc()
        if REFUSED in first_text:
            return ('skipped', str(first) or REFUSED)
        try:
            # The deprecated signature, as the Agent retries it.
            check = cls(name=name, init_config=init_config, instances=(instance,), agentConfig={})
        except BaseException as second:
            text = traceback.format_exc()
            if REFUSED in text:
                return ('skipped', str(second) or REFUSED)
            if isinstance(second, TypeError) and 'agentConfig' in str(second):
                text = first_text  # the class has no old signature: the first error is the real one
            return ('failed', 'could not create %s: %s' % (cls.__name__, text))
    check.check_id = check_id
    check.provider = 'file'
    version = getattr(module, '__version__', None)
    return ('loaded', check, version if isinstance(version, str) else 'unversioned')


def _error(result):
    """(message, traceback) from run()'s result: '' is success, else the JSON error list."""
    if result == '':
        return '', ''
    if not isinstance(result, str):
        return "error invoking 'run' method: run() returned %r, not a str" % (result,), ''
    try:
        first = json.loads(result)[0]
        return str(first.get('message', '')) or 'check failed', str(first.get('traceback', '') or '')
    except Exception:
        return result, ''


def run(check, measure):
    """(failed, message, traceback, warnings, allocated_bytes_delta)"""
    before = tracemalloc.get_traced_memory()[0] if measure and tracemalloc.is_tracing() else None
    try:
        result = check.run()
    except BaseException:
        result = json.dumps([{'message': "error invoking 'run' method", 'traceback': traceback.format_exc()}])
    try:
        warnings = [str(warning) for warning in (check.get_warnings() or [])]
    except BaseException:
        warnings = ['get_warnings() failed: %s' % traceback.format_exc()]
    delta = tracemalloc.get_traced_memory()[0] - before if before is not None else 0
    message, trace = _error(result)
    return (1 if message else 0, message, trace, warnings, delta)


def cancel(check):
    try:
        check.cancel()
    except BaseException:
        pass


def start_tracemalloc(frames):
    if not tracemalloc.is_tracing():
        tracemalloc.start(frames)


def add_paths(paths):
    for path in paths:
        if path not in sys.path:
            sys.path.append(path)
"""#
}
