from datadog_checks.base import AgentCheck

KEPT = []


class LeakerCheck(AgentCheck):
    def check(self, instance):
        # Keeps about 1 MiB more on every run.
        KEPT.append(bytearray(1024 * 1024))
        self.gauge('leaker.kept', len(KEPT))
