#if Python
import CVigilPython
import Foundation

/// The bridge's callback table: plain C functions that find their check through
/// ``PythonRoutes`` and their services through its host services. They run on the thread that
/// called into the builtin module, with the GIL held (except `subprocess_output`), and do no
/// Python work themselves.
enum PythonCallbacks {
    static func table() -> vpb_callbacks {
        vpb_callbacks(
            submit_metric: submitMetric,
            submit_service_check: submitServiceCheck,
            submit_event: submitEvent,
            submit_histogram_bucket: submitHistogramBucket,
            submit_event_platform_event: submitPlatformEvent,
            get_config: getConfig,
            get_hostname: { PythonCallbacks.services.map { PythonCallbacks.buffers.copy($0.hostname) } },
            get_clustername: { nil },
            get_version: { PythonCallbacks.services.map { PythonCallbacks.buffers.copy($0.version) } },
            get_host_tags: { PythonCallbacks.buffers.copy("{}") },
            // checks-base's own memory profiler would start and stop tracemalloc around runs,
            // under Vigil's per-check accounting: it stays off.
            tracemalloc_enabled: { 0 },
            log: { message, level in
                guard let message, let services = PythonCallbacks.services else { return }
                services.log(PythonHostServices.LogLevel(pythonLevel: level), String(cString: message))
            },
            set_check_metadata: { checkID, name, value in
                guard let checkID, let name, let value else { return }
                PythonCallbacks.routes.route(String(cString: checkID))?.setMetadata(String(cString: name), String(cString: value))
            },
            set_external_tags: { json in
                guard let json, let services = PythonCallbacks.services else { return }
                services.log(.debug, "set_external_tags (Vigil keeps no host tags): \(String(cString: json))")
            },
            write_persistent_cache: writeCache,
            read_persistent_cache: readCache,
            send_log: { line, checkID in
                guard let line, let checkID, let services = PythonCallbacks.services else { return }
                services.log(.info, "\(String(cString: checkID)) | \(String(cString: line))")
            },
            get_process_start_time: { PythonCallbacks.services?.processStartTime ?? 0 },
            emit_agent_telemetry: { _, _, _, _ in },
            subprocess_output: PythonSubprocess.run,
            release_string: { string in
                if let string { PythonCallbacks.buffers.release(string) }
            })
    }

    static var routes: PythonRoutes { .shared }
    static var services: PythonHostServices? { PythonRoutes.shared.hostServices }
    static var buffers: BoundaryBuffers { .shared }

    static func strings(_ items: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int) -> [String] {
        guard let items, count > 0 else { return [] }
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            if let item = items[index] { result.append(String(cString: item)) }
        }
        return result
    }

    static func optional(_ text: UnsafePointer<CChar>?) -> String? {
        text.map { String(cString: $0) }
    }

    /// An empty hostname means the default host.
    static func host(_ text: UnsafePointer<CChar>?) -> String? {
        guard let text, text.pointee != 0 else { return nil }
        return String(cString: text)
    }

    static let submitMetric: @convention(c) (UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Double,
                                             UnsafePointer<UnsafePointer<CChar>?>?, Int, UnsafePointer<CChar>?, Int32) -> Void = {
        checkID, type, name, value, tags, tagCount, hostname, flushFirstValue in
        guard let checkID, let name, let type = MetricType(rawValue: Int(type)),
              let sender = routes.sender(String(cString: checkID)) else { return }
        sender.submit(MetricSample(name: String(cString: name), type: type, value: value, tags: strings(tags, tagCount),
                                   host: host(hostname), flushFirstValue: flushFirstValue != 0))
    }

    static let submitServiceCheck: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32,
                                                   UnsafePointer<UnsafePointer<CChar>?>?, Int, UnsafePointer<CChar>?,
                                                   UnsafePointer<CChar>?) -> Void = {
        checkID, name, status, tags, tagCount, hostname, message in
        guard let checkID, let name, let sender = routes.sender(String(cString: checkID)) else { return }
        sender.serviceCheck(String(cString: name), ServiceCheckStatus(rawValue: Int(status)) ?? .unknown,
                            tags: strings(tags, tagCount), host: host(hostname), message: optional(message) ?? "")
    }

    static let submitEvent: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<vpb_event>?) -> Void = { checkID, event in
        guard let checkID, let event, let sender = routes.sender(String(cString: checkID)) else { return }
        let e = event.pointee
        sender.event(CheckEvent(title: optional(e.title) ?? "", text: optional(e.text) ?? "", timestamp: e.timestamp,
                                priority: optional(e.priority), host: optional(e.host) ?? "", alertType: optional(e.alert_type),
                                aggregationKey: optional(e.aggregation_key), sourceTypeName: optional(e.source_type_name),
                                eventType: optional(e.event_type), tags: strings(e.tags, e.tag_count)))
    }

    static let submitHistogramBucket: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int64, Double, Double,
                                                      Int32, UnsafePointer<CChar>?, UnsafePointer<UnsafePointer<CChar>?>?,
                                                      Int, Int32) -> Void = {
        checkID, name, value, lower, upper, monotonic, hostname, tags, tagCount, flushFirstValue in
        guard let checkID, let name, let sender = routes.sender(String(cString: checkID)) else { return }
        sender.histogramBucket(HistogramBucket(name: String(cString: name), value: value, lowerBound: lower, upperBound: upper,
                                               monotonic: monotonic != 0, host: host(hostname) ?? "",
                                               tags: strings(tags, tagCount), flushFirstValue: flushFirstValue != 0))
    }

    static let submitPlatformEvent: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int,
                                                    UnsafePointer<CChar>?) -> Void = { checkID, _, length, eventType in
        guard let checkID, let sender = routes.sender(String(cString: checkID)) else { return }
        sender.platformEvent(PlatformEvent(eventType: optional(eventType) ?? "", bytes: length))
    }

    static let getConfig: @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? = { key in
        guard let key, let services, let json = services.configJSON(String(cString: key)) else { return nil }
        return buffers.copy(json)
    }

    static let writeCache: @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = { key, value in
        guard let key, let value, let services else { return }
        guard let cache = services.persistentCache else {
            services.log(.warning, "write_persistent_cache: no state directory is configured; the value is dropped")
            return
        }
        do {
            try cache.write(String(cString: key), String(cString: value))
        } catch {
            services.log(.warning, "\(error)")
        }
    }

    static let readCache: @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? = { key in
        guard let key, let services, let cache = services.persistentCache else { return nil }
        do {
            return buffers.copy(try cache.read(String(cString: key)))
        } catch {
            services.log(.warning, "\(error)")
            return nil
        }
    }
}
#endif
