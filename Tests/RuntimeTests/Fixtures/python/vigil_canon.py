# A typed, order-keeping rendering of a value, so that 1, 1.0 and True, or a date and its
# string, never compare equal. Shared by probe.py (inside Vigil) and the reference script.
def canon(value):
    if isinstance(value, dict):
        return '{' + ','.join(canon(k) + ':' + canon(v) for k, v in value.items()) + '}'
    if isinstance(value, list):
        return '[' + ','.join(canon(v) for v in value) + ']'
    if isinstance(value, tuple):
        return '(' + ','.join(canon(v) for v in value) + ')'
    if isinstance(value, (set, frozenset)):
        return 'set{' + ','.join(sorted(canon(v) for v in value)) + '}'
    return type(value).__name__ + ':' + repr(value)
