# For each file argument: one line per instance, canon(init_config) + '\t' + canon(instance),
# with init_config and instance as yaml.safe_load gives them (None becomes {}).
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vigil_canon import canon  # noqa: E402

for path in sys.argv[1:]:
    with open(path, 'rb') as handle:
        document = yaml.safe_load(handle)
    init_config = document.get('init_config') or {}
    for instance in document.get('instances') or []:
        print(canon(init_config).replace('\n', '\\n') + '\t' + canon(instance or {}).replace('\n', '\\n'))
