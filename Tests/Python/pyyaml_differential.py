"""Compare Vigil's YAML parse with PyYAML's safe_load, document by document.

Input (argv[1]): JSON lines, one per document, written by Vigil's differential test:
    {"path": ..., "typed": <Vigil's typed JSON text> | null, "code": <error code> | null, "message": ...}
Output (stdout): one JSON object:
    {"compared": n, "agreed_accept": n, "agreed_reject": n, "stricter": [...], "mismatches": [...]}

A document both accept must produce the same Python object, compared with types (1 is not
1.0 is not True, a date is not a string). Vigil may reject what PyYAML accepts only for the
reasons it is stricter by design (duplicate keys, recursive aliases, size/node/depth limits);
those are listed under "stricter", anything else is a mismatch.
"""
import base64
import datetime
import json
import math
import sys

import yaml

STRICTER_BY_DESIGN = {"duplicateKey", "recursiveAlias", "tooManyNodes", "tooDeep", "fileTooLarge"}


class KeysMerged(Exception):
    pass


def decode(value):
    """Vigil's typed JSON back to the Python objects safe_load would build."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key.startswith("!"):
                if key == "!float":
                    return {".nan": math.nan, ".inf": math.inf, "-.inf": -math.inf}[inner]
                if key == "!timestamp":
                    return datetime.datetime.fromisoformat(inner)
                if key == "!date":
                    return datetime.date.fromisoformat(inner)
                if key == "!binary":
                    return base64.b64decode(inner)
                if key == "!set":
                    return {decode(item) for item in inner}
                if key == "!pairs":
                    return [(decode(k), decode(v)) for k, v in inner]
                if key == "!map":
                    decoded = {decode(k): decode(v) for k, v in inner}
                    if len(decoded) != len(inner):
                        # Python would have merged keys that Vigil kept apart (1 and true...).
                        raise KeysMerged(f"{len(inner)} keys in Vigil, {len(decoded)} in a Python dict")
                    return decoded
        return {key: decode(inner) for key, inner in value.items()}
    return value


def same(a, b, where="$"):
    """None when equal with types, else a description of the first difference."""
    if type(a) is not type(b):
        return f"{where}: {type(a).__name__} {a!r} vs {type(b).__name__} {b!r}"
    if isinstance(a, float):
        if math.isnan(a) and math.isnan(b):
            return None
        if a == b and math.copysign(1, a) == math.copysign(1, b):
            return None
        return f"{where}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        if len(a) != len(b):
            return f"{where}: {len(a)} keys vs {len(b)}"
        typed_b = {(type(k), k): v for k, v in b.items()}
        for key, value in a.items():
            if (type(key), key) not in typed_b:
                return f"{where}: key {key!r} missing"
            problem = same(value, typed_b[(type(key), key)], f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{where}: length {len(a)} vs {len(b)}"
        for index, (x, y) in enumerate(zip(a, b)):
            problem = same(x, y, f"{where}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(a, datetime.datetime):
        return None if a.isoformat() == b.isoformat() else f"{where}: {a.isoformat()} vs {b.isoformat()}"
    return None if a == b else f"{where}: {a!r} vs {b!r}"


def main():
    report = {"compared": 0, "agreed_accept": 0, "agreed_reject": 0, "stricter": [], "mismatches": []}
    with open(sys.argv[1], encoding="utf-8") as lines:
        for line in lines:
            entry = json.loads(line)
            report["compared"] += 1
            path = entry["path"]
            try:
                with open(path, "rb") as handle:
                    expected = yaml.safe_load(handle)
                py_error = None
            except Exception as error:  # PyYAML raises YAMLError, ValueError, TypeError...
                py_error = f"{type(error).__name__}: {error}".replace("\n", " ")
            if entry["typed"] is None:
                if py_error is not None:
                    report["agreed_reject"] += 1
                elif entry["code"] in STRICTER_BY_DESIGN:
                    report["stricter"].append({"path": path, "code": entry["code"], "message": entry["message"]})
                else:
                    report["mismatches"].append({"path": path, "problem": f"Vigil rejected ({entry['message']}), PyYAML accepted"})
                continue
            if py_error is not None:
                report["mismatches"].append({"path": path, "problem": f"Vigil accepted, PyYAML rejected: {py_error}"})
                continue
            try:
                problem = same(decode(json.loads(entry["typed"])), expected)
            except KeysMerged as error:
                problem = str(error)
            if problem:
                report["mismatches"].append({"path": path, "problem": problem})
            else:
                report["agreed_accept"] += 1
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
