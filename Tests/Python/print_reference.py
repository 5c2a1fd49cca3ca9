"""Compare `vigil validate --print` with PyYAML's safe_load, instance by instance.

Input (argv[1]): the JSON lines `vigil validate --print` wrote.
Output (stdout): one JSON object: {"compared": n, "skipped": [paths], "mismatches": [...]}

Each line's typed `init_config` and `instance` are decoded back to Python objects (with
pyyaml_differential.decode) and must equal, types included (pyyaml_differential.same), what
safe_load gives for that file's `init_config` and `instances[index]`, where None becomes {}.
Files using %%env_...%% are skipped: Vigil prints the values after substitution.
"""
import json
import os
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyyaml_differential import KeysMerged, decode, same  # noqa: E402


def main():
    report = {"compared": 0, "skipped": [], "mismatches": []}
    documents = {}
    with open(sys.argv[1], encoding="utf-8") as lines:
        for line in lines:
            entry = json.loads(line)
            path = entry["path"]
            if path not in documents:
                with open(path, "rb") as handle:
                    raw = handle.read()
                documents[path] = None if b"%%env_" in raw else yaml.safe_load(raw)
            document = documents[path]
            if document is None:
                if path not in report["skipped"]:
                    report["skipped"].append(path)
                continue
            expected = {
                "init_config": document.get("init_config") or {},
                "instance": document["instances"][entry["index"]] or {},
            }
            for key, value in expected.items():
                try:
                    problem = same(decode(entry[key]), value, f"{key}")
                except KeysMerged as error:
                    problem = str(error)
                if problem:
                    report["mismatches"].append({"source": entry["source"], "problem": problem})
            report["compared"] += 1
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
