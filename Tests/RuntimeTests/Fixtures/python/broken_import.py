from datadog_checks.base import AgentCheck

import vigil_no_such_module_anywhere  # noqa: F401


class BrokenCheck(AgentCheck):
    def check(self, instance):
        pass
