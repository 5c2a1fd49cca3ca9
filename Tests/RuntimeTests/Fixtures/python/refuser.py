from datadog_checks.base import AgentCheck


class RefuserCheck(AgentCheck):
    def __init__(self, name, init_config, instances):
        super().__init__(name, init_config, instances)
        raise Exception(
            'The integration refused to load the check configuration, it may be too old or too new.'
        )

    def check(self, instance):
        pass
