import time

from datadog_checks.base import AgentCheck


class SleeperCheck(AgentCheck):
    def check(self, instance):
        time.sleep(float(instance.get('seconds', 1)))
        self.gauge('sleeper.slept', float(instance.get('seconds', 1)))
