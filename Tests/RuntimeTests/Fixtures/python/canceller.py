from datadog_checks.base import AgentCheck


class CancellerCheck(AgentCheck):
    def check(self, instance):
        self.gauge('canceller.ran', 1)

    def cancel(self):
        with open(self.instance['marker'], 'w') as handle:
            handle.write('cancelled\n')
