"""An independent implementation of Vigil's instance digest, written from its documentation
(Sources/VigilConfig/InstanceDigest.swift and CanonicalEncoding.swift), on PyYAML's safe_load.

    python digest_reference.py CHECK_NAME FILE     prints one instance ID per line

Vigil's tests compare its IDs with these for every fixture and every Datadog example file, so
the documented algorithm is the implemented one.
"""
import datetime
import hashlib
import math
import struct
import sys
import unicodedata

import yaml


def u32(n):
    return struct.pack(">I", n)


def encode(value):
    if value is None:
        return b"\x00"
    if value is True:
        return b"\x02"
    if value is False:
        return b"\x01"
    if isinstance(value, int):
        return b"\x03" + str(value).encode() + b"\x00"
    if isinstance(value, float):
        if math.isnan(value):
            bits = b"\x7f\xf8\x00\x00\x00\x00\x00\x00"
        elif value == 0:
            bits = b"\x00" * 8
        else:
            bits = struct.pack(">d", value)
        return b"\x04" + bits
    if isinstance(value, str):
        data = value.encode("utf-8")
        return b"\x05" + u32(len(data)) + data
    if isinstance(value, bytes):
        return b"\x06" + u32(len(value)) + value
    if isinstance(value, (datetime.datetime, datetime.date)):
        data = value.isoformat().encode()
        return b"\x07" + u32(len(data)) + data
    if isinstance(value, list):
        if value and all(isinstance(item, tuple) for item in value):  # !!omap / !!pairs
            return b"\x0b" + u32(len(value)) + b"".join(encode(k) + encode(v) for k, v in value)
        return b"\x08" + u32(len(value)) + b"".join(encode(item) for item in value)
    if isinstance(value, dict):
        entries = sorted((encode(k), encode(v)) for k, v in value.items())
        return b"\x09" + u32(len(value)) + b"".join(k + v for k, v in entries)
    if isinstance(value, set):
        return b"\x0a" + u32(len(value)) + b"".join(sorted(encode(item) for item in value))
    raise TypeError(f"cannot encode {type(value).__name__}")


def id_safe(name):
    """The instance name as IDs show it: ':', whitespace and control characters become '_'."""
    return "".join("_" if c == ":" or c.isspace() or unicodedata.category(c) == "Cc" else c for c in name)


def instance_ids(check, document):
    init_config = document.get("init_config") or {}
    init_hash = hashlib.sha256(encode(init_config)).digest()
    ids = []
    for instance in document["instances"]:
        instance = {} if instance is None else instance
        digest = hashlib.sha256(b"vigil.instance.v1\n" + encode(check) + init_hash + encode(instance)).hexdigest()[:16]
        name = instance.get("name") or instance.get("namespace")
        name = str(name) if isinstance(name, (str, int)) and not isinstance(name, bool) and name != "" else None
        ids.append(f"{check}:{id_safe(name)}:{digest}" if name else f"{check}:{digest}")
    return ids


if __name__ == "__main__":
    with open(sys.argv[2], "rb") as handle:
        for line in instance_ids(sys.argv[1], yaml.safe_load(handle)):
            print(line)
