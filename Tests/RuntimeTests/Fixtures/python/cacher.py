from datadog_checks.base import AgentCheck


class CacherCheck(AgentCheck):
    def check(self, instance):
        previous = self.read_persistent_cache('runs')
        runs = int(previous or 0) + 1
        self.write_persistent_cache('runs', str(runs))
        self.gauge('cacher.runs', runs)
