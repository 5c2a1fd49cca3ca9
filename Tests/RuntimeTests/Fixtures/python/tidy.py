from datadog_checks.base import AgentCheck


class TidyCheck(AgentCheck):
    def check(self, instance):
        scratch = [bytearray(1024) for _ in range(256)]
        self.gauge('tidy.scratch', len(scratch))
