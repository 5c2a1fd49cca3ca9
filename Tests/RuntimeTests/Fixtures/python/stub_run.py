# Runs a check the way checks-base's own tests do, in plain Python with its stub aggregator,
# and prints what it submitted as JSON: the reference side of Vigil's differential test.
#
#   python stub_run.py CHECK_NAME CONFIG_YAML_PATH [RUNS]
import importlib
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The stub aggregator rejects generic tags such as `env` in integrations' own test suites; the
# Agent (and Vigil) accept them.
os.environ['DDEV_SKIP_GENERIC_TAGS_CHECK'] = 'true'

from datadog_checks.base import AgentCheck  # noqa: E402
from datadog_checks.base.stubs import aggregator, datadog_agent  # noqa: E402

name, config_path = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
with open(config_path, 'rb') as handle:
    document = yaml.safe_load(handle)
module = importlib.import_module(name)
cls = next(
    getattr(module, attribute)
    for attribute in dir(module)
    if isinstance(getattr(module, attribute), type)
    and issubclass(getattr(module, attribute), AgentCheck)
    and getattr(module, attribute) is not AgentCheck
)
check = cls(name, document.get('init_config') or {}, [document['instances'][0]])
check.check_id = 'stub:0'
results = []
for _ in range(runs):
    aggregator.reset()
    error = check.run()
    metrics = [
        {'name': stub.name, 'type': stub.type, 'value': float(stub.value), 'tags': list(stub.tags),
         'host': stub.hostname or '', 'flush_first_value': bool(stub.flush_first_value)}
        for name_ in aggregator._metrics for stub in aggregator._metrics[name_]
    ]
    service_checks = [
        {'name': stub.name, 'status': stub.status, 'tags': list(stub.tags), 'host': stub.hostname or '',
         'message': stub.message or ''}
        for name_ in aggregator._service_checks for stub in aggregator._service_checks[name_]
    ]
    events = [
        {'title': e.get('msg_title', ''), 'text': e.get('msg_text', ''), 'timestamp': e.get('timestamp', 0),
         'priority': e.get('priority'), 'host': e.get('host', ''), 'alert_type': e.get('alert_type'),
         'aggregation_key': e.get('aggregation_key'), 'source_type_name': e.get('source_type_name'),
         'event_type': e.get('event_type'), 'tags': list(e.get('tags') or [])}
        for e in aggregator._events
    ]
    buckets = [
        {'name': stub.name, 'value': stub.value, 'lower': repr(float(stub.lower_bound)), 'upper': repr(float(stub.upper_bound)),
         'monotonic': bool(stub.monotonic), 'host': stub.hostname or '', 'tags': list(stub.tags)}
        for name_ in aggregator._histogram_buckets for stub in aggregator._histogram_buckets[name_]
    ]
    results.append({'error': error != '', 'metrics': metrics, 'service_checks': service_checks, 'events': events,
                    'buckets': buckets, 'warnings': check.get_warnings()})
print(json.dumps(results))
