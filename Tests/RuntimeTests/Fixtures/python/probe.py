# Reports the init_config and instance it was given, rendered by vigil_canon.canon, as a warning.
from datadog_checks.base import AgentCheck
from vigil_canon import canon


class ProbeCheck(AgentCheck):
    def check(self, instance):
        self.warning('%s', canon(self.init_config) + '\n' + canon(self.instance))
