# Submits one of everything a check can: every metric type, a service check, an event, a
# histogram bucket, a warning and metadata; and uses the Agent services a check may call.
from datadog_checks.base import AgentCheck
from datadog_checks.base.agent import AGENT_RUNNING
from datadog_checks.base.utils.subprocess_output import get_subprocess_output

__version__ = '4.5.6'


class EverythingCheck(AgentCheck):
    def check(self, instance):
        tags = list(instance.get('tags', []))
        self.gauge('everything.gauge', 1.5, tags=tags)
        self.gauge('everything.on_other_host', 2, tags=tags, hostname='elsewhere')
        self.count('everything.count', 3, tags=tags + ['kind:count'])
        self.monotonic_count('everything.monotonic', 40, tags=tags)
        self.rate('everything.rate', 5, tags=tags)
        self.histogram('everything.histogram', 6, tags=tags)
        self.historate('everything.historate', 7, tags=tags)
        self.increment('everything.counter', 8, tags=tags)
        self.gauge('everything.agent_running', 1 if AGENT_RUNNING else 0)
        self.submit_histogram_bucket('everything.bucket', 9, 0.0, 0.1, True, 'bucket-host', tags)
        self.service_check('everything.can_connect', AgentCheck.WARNING, tags=tags, message='half there')
        self.event(
            {
                'timestamp': 1700000000,
                'event_type': 'everything',
                'msg_title': 'Something happened',
                'msg_text': 'in detail',
                'alert_type': 'warning',
                'priority': 'low',
                'source_type_name': 'vigil-test',
                'aggregation_key': 'agg',
                'host': 'event-host',
                'tags': tags,
            }
        )
        out, _, code = get_subprocess_output(['echo', 'hello from a subprocess'], self.log)
        self.gauge('everything.subprocess_chars', len(out.strip()), tags=['code:%d' % code])
        self.warning('a warning with %s', 'arguments')
        self.set_metadata('version', '1.2.3')
