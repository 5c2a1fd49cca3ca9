import Foundation
import Reconciler
public import Runtime
import VigilConfig
import Watch

/// The `/status` JSON: a contract scripts rely on (snake_case keys; `null` for absent values,
/// never a missing key).
public enum StatusDocument {
    static func build(daemon: Daemon, files fileStatuses: [ConfigFileStatus]) -> [String: Any] {
        let loop = daemon.loop.status
        let watch = daemon.watcher.status
        let fileState = Dictionary(fileStatuses.map { ($0.path, $0.state.rawValue) }, uniquingKeysWith: { a, _ in a })
        let checks = daemon.runner.snapshot().sorted { $0.spec.id < $1.spec.id }.map { check(
            $0, sourceState: fileState[$0.spec.source.path] ?? "ok", retries: loop.retrying[$0.spec.id] ?? 0) }
        let files = fileStatuses.map { file -> [String: Any] in
            [
                "path": file.path,
                "check": file.checkName,
                "state": file.state.rawValue,
                "errors": file.errors.map(issue),
                "warnings": file.warnings.map(issue),
                "instances": file.instances.map(\.rawValue),
            ]
        }
        return [
            "ready": loop.ready,
            "version": VigilVersion.current,
            "hostname": daemon.runner.hostname,
            "started_at": daemon.startedAt.timeIntervalSince1970,
            "uptime_s": Date().timeIntervalSince(daemon.startedAt),
            "python": PythonSupport.summary,
            "workers": daemon.runner.workers,
            "checks": checks,
            "config_files": files,
            "missing_config_dirs": loop.missingRoots.map { ["path": $0.key, "reason": $0.value] },
            "reconciler": [
                "passes": loop.passes,
                "last_pass_ms": loop.lastPass.map { milliseconds($0.duration) } as Any? ?? NSNull(),
                "desired_instances": loop.desiredInstances,
                "retrying": loop.retrying.count,
            ],
            "watcher": [
                "roots": watch.roots.map { root -> [String: Any] in
                    var entry: [String: Any] = ["path": root.path, "watched_directories": root.watchedDirectories]
                    switch root.mode {
                    case .inotify: entry["mode"] = "inotify"
                    case .polling(let reason): entry["mode"] = "polling"; entry["reason"] = reason
                    case .missing: entry["mode"] = "missing"
                    }
                    return entry
                },
                "events_read": watch.eventsRead,
                "overflows": watch.overflows,
                "rebuilds": watch.rebuilds,
                "batches": watch.batchesDelivered,
            ],
        ]
    }

    /// One instance's block, shared by `/status` and `vigil check --json`.
    public static func check(_ instance: InstanceSnapshot, sourceState: String, retries: Int) -> [String: Any] {
        let spec = instance.spec, stats = instance.stats
        return [
            "id": spec.id.rawValue,
            "check": spec.checkName,
            "name": spec.options.instanceName ?? NSNull(),
            "loader": instance.loader ?? NSNull(),
            "state": instance.state.rawValue,
            "source": spec.source.description,
            "source_state": sourceState,
            "digest": spec.digest.hex,
            "interval_s": seconds(spec.options.interval),
            "timeout_s": seconds(spec.options.timeout ?? spec.options.interval),
            "version": instance.version ?? NSNull(),
            "total_runs": stats.totalRuns,
            "total_errors": stats.totalErrors,
            "total_warnings": stats.totalWarnings,
            "skipped_runs": stats.skippedRuns,
            "last_error": stats.lastError?.message ?? NSNull(),
            "last_error_traceback": stats.lastError?.traceback ?? NSNull(),
            "last_warnings": stats.lastWarnings,
            "last_run_at": stats.lastRunAt ?? NSNull(),
            "last_success_at": stats.lastSuccessAt ?? NSNull(),
            "avg_execution_ms": stats.averageExecutionMs ?? NSNull(),
            "last_execution_ms": stats.lastExecutionMs ?? NSNull(),
            "metric_samples_last": stats.metricSamplesLast,
            "metric_samples_total": stats.metricSamplesTotal,
            "service_checks_last": stats.serviceChecksLast,
            "service_checks_total": stats.serviceChecksTotal,
            "events_last": stats.eventsLast,
            "events_total": stats.eventsTotal,
            "loader_errors": instance.loaderErrors,
            "skip_reason": instance.skipReason ?? NSNull(),
            "load_retries": retries,
            "series": instance.latestSeries.map { series -> [String: Any] in
                ["metric": series.metric, "type": series.type.rawValue, "value": series.value, "tags": series.tags,
                 "host": series.host, "timestamp": series.timestamp]
            },
            "service_checks": instance.latestServiceChecks.map { check -> [String: Any] in
                ["check": check.name, "status": check.status.rawValue, "status_name": check.status.name, "tags": check.tags,
                 "host": check.host, "message": check.message, "timestamp": check.timestamp]
            },
        ]
    }

    static func issue(_ issue: ConfigIssue) -> [String: Any] {
        ["line": issue.mark.map { Int($0.line) } as Any? ?? NSNull(),
         "column": issue.mark.map { Int($0.column) } as Any? ?? NSNull(),
         "message": issue.message]
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
