"""An example custom check: the age and size of files, the way a Datadog Agent custom check
is written. Vigil runs it unmodified in its embedded interpreter."""
import os
import time

from datadog_checks.base import AgentCheck

__version__ = '1.0.0'


class FileAgeCheck(AgentCheck):
    def check(self, instance):
        path = instance['path']
        tags = ['path:%s' % path] + list(instance.get('tags', []))
        try:
            stat = os.stat(path)
        except OSError as error:
            self.service_check('file_age.exists', AgentCheck.CRITICAL, tags=tags, message=str(error))
            return
        self.service_check('file_age.exists', AgentCheck.OK, tags=tags)
        self.gauge('file_age.age_seconds', time.time() - stat.st_mtime, tags=tags)
        self.gauge('file_age.size_bytes', stat.st_size, tags=tags)
