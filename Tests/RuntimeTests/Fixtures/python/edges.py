# Tag, host and value edge cases for the differential test.
from datadog_checks.base import AgentCheck


class EdgesCheck(AgentCheck):
    def check(self, instance):
        self.gauge('edges.unicode', 1, tags=['città:roma', 'emoji:\U0001f642'])
        self.gauge('edges.bytes_tags', 2, tags=[b'from:bytes', 'plain'])
        self.gauge('edges.duplicates', 3, tags=['a', 'a', 'b'])
        self.gauge('edges.no_tags', 4, tags=None)
        self.count('edges.raw', 5, raw=True)
        self.gauge('edges.tiny', -1e-300)
        self.gauge('edges.huge', 2 ** 53 + 1)
        self.monotonic_count('edges.flush', 6, flush_first_value=True)
        self.rate('edges.host', 7, hostname='other-host', tags=instance.get('tags'))
        self.service_check('edges.unknown', AgentCheck.UNKNOWN, message='no idea', hostname='h1')
        self.service_check('edges.ok', AgentCheck.OK, tags=['x:y'])
        self.event({'msg_title': 'minimal', 'msg_text': ''})
        self.submit_histogram_bucket('edges.bucket', 3, 1.5, float('inf'), False, '', ['le:+Inf'])
        self.warning('first warning')
        self.warning('second warning %d', 2)
