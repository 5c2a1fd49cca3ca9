import Foundation
import Reconciler
import Runtime

/// `/metrics` in the OpenMetrics text format: Vigil's own families first (`vigil_*`), then
/// every instance's latest series and service checks (MetricsDocument+Checks.swift).
///
/// Vigil's families: `vigil_ready`, `vigil_reconcile_passes_total`,
/// `vigil_reconcile_pass_duration_seconds` (histogram), `vigil_instances{state}`,
/// `vigil_check_runs_total` and `vigil_check_errors_total` per instance, `vigil_watcher_events_total`,
/// `vigil_watcher_overflows_total`, `vigil_replaced_workers_total` and the `vigil_python_*`
/// memory families.
enum MetricsDocument {
    static func build(daemon: Daemon) -> String {
        let snapshots = daemon.runner.snapshot().sorted { $0.spec.id < $1.spec.id }
        var writer = OpenMetricsWriter()
        writeDaemon(daemon, snapshots: snapshots, into: &writer)
        writePython(snapshots, into: &writer)
        writeChecks(snapshots, into: &writer)
        return writer.finished()
    }

    private static func writeDaemon(_ daemon: Daemon, snapshots: [InstanceSnapshot], into writer: inout OpenMetricsWriter) {
        let loop = daemon.loop.status
        writer.family("vigil_ready", .gauge, help: "1 once the first full reconcile is applied.",
                      samples: [.init(value: loop.ready ? 1 : 0)])
        writer.family("vigil_reconcile_passes", .counter, help: "Reconcile passes since start-up.",
                      samples: [.init(suffix: "_total", value: Double(loop.passes))])
        writer.family("vigil_reconcile_pass_duration_seconds", .histogram, help: "How long reconcile passes took.",
                      unit: "seconds", samples: histogram(loop.passDurations))

        var byState: [String: Int] = [:]
        for state in [InstanceState.scheduled, .running, .loadError, .skipped, .hung] { byState[state.rawValue] = 0 }
        for snapshot in snapshots { byState[snapshot.state.rawValue, default: 0] += 1 }
        writer.family("vigil_instances", .gauge, help: "Check instances by runtime state.",
                      samples: byState.keys.sorted().map { .init(labels: [("state", $0)], value: Double(byState[$0]!)) })

        writer.family("vigil_check_runs", .counter, help: "Runs per check instance.",
                      samples: snapshots.map { .init(suffix: "_total", labels: instanceLabels($0), value: Double($0.stats.totalRuns)) })
        writer.family("vigil_check_errors", .counter, help: "Failed runs per check instance.",
                      samples: snapshots.map { .init(suffix: "_total", labels: instanceLabels($0), value: Double($0.stats.totalErrors)) })

        let watch = daemon.watcher.status
        writer.family("vigil_watcher_events", .counter, help: "inotify events read.",
                      samples: [.init(suffix: "_total", value: Double(watch.eventsRead))])
        writer.family("vigil_watcher_overflows", .counter, help: "inotify queue overflows (each forces a full resync).",
                      samples: [.init(suffix: "_total", value: Double(watch.overflows))])
        writer.family("vigil_replaced_workers", .counter, help: "Worker threads replaced after a run ignored its timeout.",
                      samples: [.init(suffix: "_total", value: Double(daemon.runner.replacedWorkers))])
    }

    /// Buffers handed across the Swift↔Python boundary, and tracemalloc's bytes per check.
    private static func writePython(_ snapshots: [InstanceSnapshot], into writer: inout OpenMetricsWriter) {
        let buffers = BoundaryBuffers.shared.counts
        writer.family("vigil_python_buffer_allocations", .counter,
                      samples: [.init(suffix: "_total", value: Double(buffers.allocations))])
        writer.family("vigil_python_buffer_frees", .counter, samples: [.init(suffix: "_total", value: Double(buffers.frees))])
        writer.family("vigil_python_buffer_allocated_bytes", .counter, unit: "bytes",
                      samples: [.init(suffix: "_total", value: Double(buffers.allocatedBytes))])
        writer.family("vigil_python_buffer_outstanding_bytes", .gauge, unit: "bytes",
                      samples: [.init(value: Double(buffers.outstandingBytes))])
        let memory = snapshots.compactMap { snapshot in
            snapshot.details.pythonAllocatedBytes.map { OpenMetricsWriter.Sample(labels: instanceLabels(snapshot), value: Double($0)) }
        }
        if !memory.isEmpty {
            writer.family("vigil_python_check_allocated_bytes", .gauge, unit: "bytes", samples: memory)
        }
    }

    /// Cumulative `_bucket`s with `le`, then `+Inf`, `_count` and `_sum`.
    static func histogram(_ durations: DurationHistogram) -> [OpenMetricsWriter.Sample] {
        var samples = zip(DurationHistogram.bounds, durations.counts).map { bound, count in
            OpenMetricsWriter.Sample(suffix: "_bucket", labels: [("le", bound.description)], value: Double(count))
        }
        samples.append(.init(suffix: "_bucket", labels: [("le", "+Inf")], value: Double(durations.count)))
        samples.append(.init(suffix: "_count", value: Double(durations.count)))
        samples.append(.init(suffix: "_sum", value: durations.sum))
        return samples
    }

    /// `check_id` and `check`: what keeps series of different instances apart.
    static func instanceLabels(_ snapshot: InstanceSnapshot) -> OpenMetricsWriter.Labels {
        [("check_id", snapshot.spec.id.rawValue), ("check", snapshot.spec.checkName)]
    }
}
