from datadog_checks.base import AgentCheck


class RaiserCheck(AgentCheck):
    def check(self, instance):
        self.gauge('raiser.before', 1)
        return self.divide(1, 0)

    def divide(self, a, b):
        return a / b
