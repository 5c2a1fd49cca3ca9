import Foundation
import Reconciler
public import Runtime
import VigilConfig
import Watch

/// The `/status` JSON: a contract scripts rely on (snake_case keys; `null` for absent values,
/// never a missing key).
public enum StatusDocument {
    static func build(daemon: Daemon, files fileStatuses: [ConfigFileStatus]) -> JSONValue {
        let loop = daemon.loop.status
        let watch = daemon.watcher.status
        let fileState = Dictionary(fileStatuses.map { ($0.path, $0.state.rawValue) }, uniquingKeysWith: { a, _ in a })
        let checks = daemon.runner.snapshot().sorted { $0.spec.id < $1.spec.id }.map {
            check($0, sourceState: fileState[$0.spec.source.path] ?? "ok", retries: loop.retrying[$0.spec.id] ?? 0)
        }
        let files: [JSONValue] = fileStatuses.map { file in
            .object([
                "path": .string(file.path),
                "check": .string(file.checkName),
                "state": .string(file.state.rawValue),
                "errors": .array(file.errors.map(issue)),
                "warnings": .array(file.warnings.map(issue)),
                "instances": .strings(file.instances.map(\.rawValue)),
            ])
        }
        let roots: [JSONValue] = watch.roots.map { root in
            var entry: [String: JSONValue] = ["path": .string(root.path), "watched_directories": .int(root.watchedDirectories)]
            switch root.mode {
            case .inotify: entry["mode"] = "inotify"
            case .polling(let reason):
                entry["mode"] = "polling"
                entry["reason"] = .string(reason)
            case .missing: entry["mode"] = "missing"
            }
            return .object(entry)
        }
        return .object([
            "ready": .bool(loop.ready),
            "version": .string(VigilVersion.current),
            "hostname": .string(daemon.runner.hostname),
            "started_at": .double(daemon.startedAt.timeIntervalSince1970),
            "uptime_s": .double(Date().timeIntervalSince(daemon.startedAt)),
            "python": .string(PythonSupport.summary),
            "python_bridge": pythonBridge(),
            "workers": .int(daemon.runner.workers),
            "replaced_workers": .int(daemon.runner.replacedWorkers),
            "reaped_orphans": .int(OrphanReaper.reapedCount),
            "dogstatsd": daemon.dogstatsd.map(dogStatsD) ?? .null,
            "checks": .array(checks),
            "config_files": .array(files),
            "config_dir_warnings": .array(daemon.confDirWarnings.map { warning in
                .object(["conf_dir": .string(warning.confDir), "path": .string(warning.path), "message": .string(warning.message)])
            }),
            "missing_config_dirs": .array(loop.missingRoots.sorted { $0.key < $1.key }.map {
                .object(["path": .string($0.key), "reason": .string($0.value)])
            }),
            "reconciler": .object([
                "passes": .int(loop.passes),
                "last_pass_ms": .optional(loop.lastPass.map { milliseconds($0.duration) }),
                "desired_instances": .int(loop.desiredInstances),
                "retrying": .int(loop.retrying.count),
            ]),
            "watcher": .object([
                "roots": .array(roots),
                "events_read": .int(watch.eventsRead),
                "overflows": .int(watch.overflows),
                "rebuilds": .int(watch.rebuilds),
                "batches": .int(watch.batchesDelivered),
            ]),
        ])
    }

    /// One instance's block, shared by `/status` and `vigil check --json`.
    public static func check(_ instance: InstanceSnapshot, sourceState: String, retries: Int) -> JSONValue {
        let spec = instance.spec, stats = instance.stats
        return .object([
            "id": .string(spec.id.rawValue),
            "check": .string(spec.checkName),
            "name": .optional(spec.options.instanceName),
            "loader": .optional(instance.loader),
            "state": .string(instance.state.rawValue),
            "source": .string(spec.source.description),
            "source_state": .string(sourceState),
            "digest": .string(spec.digest.hex),
            "interval_s": .double(seconds(spec.options.interval)),
            "timeout_s": .double(seconds(spec.options.timeout ?? spec.options.interval)),
            "version": .optional(instance.version),
            "total_runs": .int(stats.totalRuns),
            "total_errors": .int(stats.totalErrors),
            "total_warnings": .int(stats.totalWarnings),
            "skipped_runs": .int(stats.skippedRuns),
            "last_error": .optional(stats.lastError?.message),
            "last_error_traceback": .optional(stats.lastError?.traceback),
            "last_warnings": .strings(stats.lastWarnings),
            "last_run_at": .optional(stats.lastRunAt),
            "last_success_at": .optional(stats.lastSuccessAt),
            "avg_execution_ms": .optional(stats.averageExecutionMs),
            "last_execution_ms": .optional(stats.lastExecutionMs),
            "metric_samples_last": .int(stats.metricSamplesLast),
            "metric_samples_total": .int(stats.metricSamplesTotal),
            "service_checks_last": .int(stats.serviceChecksLast),
            "service_checks_total": .int(stats.serviceChecksTotal),
            "events_last": .int(stats.eventsLast),
            "events_total": .int(stats.eventsTotal),
            "histogram_buckets_last": .int(stats.histogramBucketsLast),
            "histogram_buckets_total": .int(stats.histogramBucketsTotal),
            "platform_events_last": .int(stats.platformEventsLast),
            "platform_events_total": .int(stats.platformEventsTotal),
            "metadata": .object(instance.details.metadata.mapValues { .string($0) }),
            "python_allocated_bytes": .optional(instance.details.pythonAllocatedBytes.map { Int($0) }),
            "python_allocated_bytes_last_run": .optional(instance.details.pythonAllocatedBytesLastRun.map { Int($0) }),
            "loader_errors": .object(instance.loaderErrors.mapValues { .string($0) }),
            "skip_reason": .optional(instance.skipReason),
            "load_retries": .int(retries),
            "series": .array(instance.latestSeries.map { series in
                .object(["metric": .string(series.metric), "type": .string(series.type.rawValue), "value": .double(series.value),
                         "tags": .strings(series.tags), "host": .string(series.host), "timestamp": .double(series.timestamp)])
            }),
            "service_checks": .array(instance.latestServiceChecks.map { check in
                .object(["check": .string(check.name), "status": .int(check.status.rawValue), "status_name": .string(check.status.name),
                         "tags": .strings(check.tags), "host": .string(check.host), "message": .string(check.message),
                         "timestamp": .double(check.timestamp)])
            }),
        ])
    }

    /// Buffers handed across the Swift↔Python boundary, and submissions that had no run to go to.
    static func pythonBridge() -> JSONValue {
        let counts = BoundaryBuffers.shared.counts
        return .object([
            "buffer_allocations": .int(Int(counts.allocations)),
            "buffer_frees": .int(Int(counts.frees)),
            "buffer_bytes_allocated": .int(Int(counts.allocatedBytes)),
            "buffer_bytes_freed": .int(Int(counts.freedBytes)),
            "buffers_outstanding": .int(Int(counts.outstanding)),
            "dropped_submissions": .int(Int(PythonLoader.droppedSubmissions)),
        ])
    }

    static func issue(_ issue: ConfigIssue) -> JSONValue {
        .object(["line": .optional(issue.mark.map { Int($0.line) }), "column": .optional(issue.mark.map { Int($0.column) }),
                 "message": .string(issue.message)])
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }
}

/// Vigil's version string.
public enum VigilVersion {
    public static let current = "0.1.0"
}
