# An OpenMetrics check as integrations write them: OpenMetricsBaseCheckV2 and a namespace.
from datadog_checks.base import OpenMetricsBaseCheckV2


class OmDemoCheck(OpenMetricsBaseCheckV2):
    __NAMESPACE__ = 'omdemo'
