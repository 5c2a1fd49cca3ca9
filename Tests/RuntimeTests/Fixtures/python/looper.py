from datadog_checks.base import AgentCheck


class LooperCheck(AgentCheck):
    def check(self, instance):
        count = 0
        while True:
            count += 1
