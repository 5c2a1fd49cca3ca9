#if Python
import CPython
import CVigilPython
import VigilYAML

typealias PyObjectPointer = UnsafeMutablePointer<PyObject>

/// Builds the Python object `yaml.safe_load` would have produced for a ``ConfigValue``: a
/// check's `init_config` and instance reach Python as the same dicts, lists, ints (of any
/// size), floats, strs, bytes, dates, datetimes, sets and pair lists. The GIL must be held.
enum PythonValue {
    struct ConversionError: Error, CustomStringConvertible {
        var description: String
    }

    /// A new reference.
    static func make(_ value: ConfigValue) throws(ConversionError) -> PyObjectPointer {
        guard let object = build(value) else {
            var message = vpb_error(), traceback = vpb_error()
            _ = vpb_take_exception(&message, &traceback)
            throw ConversionError(description: "cannot convert the configuration to Python: \(PythonText.string(message))")
        }
        return object
    }

    private static func build(_ value: ConfigValue) -> PyObjectPointer? {
        switch value {
        case .null: return object(vpb_none())
        case .bool(let flag): return object(vpb_bool(flag ? 1 : 0))
        case .int(let number): return PyLong_FromLongLong(number)
        case .bigInt(let number): return PyLong_FromString(number.description, nil, 10)
        case .float(let number): return PyFloat_FromDouble(number)
        case .string(let text): return string(text)
        case .binary(let bytes):
            return bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { PyBytes_FromStringAndSize($0.baseAddress, $0.count) }
            }
        case .timestamp(let stamp):
            guard let time = stamp.time else { return object(vpb_date(Int32(stamp.year), Int32(stamp.month), Int32(stamp.day))) }
            return object(vpb_datetime(Int32(stamp.year), Int32(stamp.month), Int32(stamp.day), Int32(time.hour),
                                       Int32(time.minute), Int32(time.second), Int32(time.microsecond),
                                       time.utcOffsetMinutes == nil ? 0 : 1, Int32(time.utcOffsetMinutes ?? 0)))
        case .sequence(let items):
            guard let list = PyList_New(items.count) else { return nil }
            for (index, item) in items.enumerated() {
                guard let element = build(item.value) else { return release(list) }
                PyList_SetItem(list, index, element)  // steals element
            }
            return list
        case .mapping(let pairs):
            guard let dict = PyDict_New() else { return nil }
            for pair in pairs {
                guard let key = build(pair.key.value) else { return release(dict) }
                guard let element = build(pair.value.value) else {
                    vpb_decref(key)
                    return release(dict)
                }
                let status = PyDict_SetItem(dict, key, element)
                vpb_decref(key)
                vpb_decref(element)
                if status < 0 { return release(dict) }
            }
            return dict
        case .set(let items):
            guard let set = PySet_New(nil) else { return nil }
            for item in items {
                guard let element = build(item.value) else { return release(set) }
                let status = PySet_Add(set, element)
                vpb_decref(element)
                if status < 0 { return release(set) }
            }
            return set
        case .pairs(let pairs):
            guard let list = PyList_New(pairs.count) else { return nil }
            for (index, pair) in pairs.enumerated() {
                guard let key = build(pair.key.value) else { return release(list) }
                guard let element = build(pair.value.value) else {
                    vpb_decref(key)
                    return release(list)
                }
                guard let tuple = PyTuple_New(2) else {
                    vpb_decref(key)
                    vpb_decref(element)
                    return release(list)
                }
                PyTuple_SetItem(tuple, 0, key)
                PyTuple_SetItem(tuple, 1, element)
                PyList_SetItem(list, index, tuple)
            }
            return list
        }
    }

    /// A new str from UTF-8 text (which may contain NUL).
    static func string(_ text: String) -> PyObjectPointer? {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { buffer in
                buffer.isEmpty ? PyUnicode_FromStringAndSize(nil, 0) : PyUnicode_FromStringAndSize(buffer.baseAddress, buffer.count)
            }
        }
    }

    static func object(_ raw: UnsafeMutableRawPointer?) -> PyObjectPointer? {
        raw?.assumingMemoryBound(to: PyObject.self)
    }

    private static func release(_ object: PyObjectPointer) -> PyObjectPointer? {
        vpb_decref(object)
        return nil
    }
}

/// Reading results back: str, int and lists of str, the only types the host module returns.
enum PythonText {
    static func string(_ error: vpb_error) -> String {
        withUnsafeBytes(of: error.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// A str's text; "" for anything else.
    static func string(_ object: PyObjectPointer?) -> String {
        guard let object else { return "" }
        var size = 0
        guard let text = PyUnicode_AsUTF8AndSize(object, &size) else {
            PyErr_Clear()
            return ""
        }
        return text.withMemoryRebound(to: UInt8.self, capacity: size) {
            String(decoding: UnsafeBufferPointer(start: $0, count: size), as: UTF8.self)
        }
    }

    static func strings(_ list: PyObjectPointer?) -> [String] {
        guard let list else { return [] }
        let count = PyList_Size(list)
        guard count > 0 else {
            PyErr_Clear()
            return []
        }
        return (0..<count).map { string(PyList_GetItem(list, $0)) }
    }

    static func int(_ object: PyObjectPointer?) -> Int64 {
        guard let object else { return 0 }
        let value = PyLong_AsLongLong(object)
        if value == -1 { PyErr_Clear() }
        return value
    }
}
#endif
