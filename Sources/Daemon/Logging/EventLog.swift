import Logging
import Reconciler
import Runtime
import VigilConfig
import Watch

/// Turns state changes into log lines: one per change, never one per successful run (the
/// journal rate-limits, and nobody reads a line per run). Structured fields name the check,
/// instance, file and loader, so logs can be filtered by them.
struct EventLog: Sendable {
    let logger: Logger
    /// Python check directories: one that is absent is normal (no custom checks), so waiting
    /// for it is an info line, where a missing conf dir is a warning.
    var checksDirs: Set<String> = []
    /// Per reconcile pass, how many instance lines of each kind are written before the rest are
    /// summed up: a start-up with 30,000 instances writes 100 lines and a summary, not 30,000
    /// (journald's default rate limit is 10,000 messages per 30 s).
    static let linesPerPass = 100
    private let counts = PassCounts()

    func runtime(_ event: RuntimeEvent) {
        if let kind = Self.cappedKind(event), !counts.admit(kind) { return }
        switch event {
        case .scheduled(let spec, let loader):
            logger.info("check scheduled", metadata: fields(spec, MessageIDs.checkScheduled)
                .merging(["loader": "\(loader)", "interval_s": "\(seconds(spec.options.interval))"]) { $1 })
        case .unscheduled(let spec):
            logger.info("check unscheduled", metadata: fields(spec, MessageIDs.checkUnscheduled))
        case .loadFailed(let spec, let errors):
            let text = LoaderChain.describe(errors)
            logger.error("check could not be loaded: \(text)", metadata: fields(spec, MessageIDs.loadFailed).merging(["state": "load_error", "error": "\(text)"]) { $1 })
        case .skipped(let spec, let reason):
            logger.info("check skipped: \(reason)", metadata: fields(spec))
        case .runFailing(let spec, let error):
            logger.warning("check run failing: \(error.message)", metadata: fields(spec, MessageIDs.runFailing).merging(["error": "\(error.message)"]) { $1 })
        case .runRecovered(let spec):
            logger.info("check run recovered", metadata: fields(spec, MessageIDs.runRecovered))
        case .runsSkipped(let spec, let count, let workers):
            logger.warning("check runs skipped: \(count) run\(count == 1 ? "" : "s") came due while the previous one was still queued or running (a slow check, or all \(workers) workers busy; see --workers)",
                           metadata: fields(spec).merging(["skipped": "\(count)", "workers": "\(workers)"]) { $1 })
        case .runHung(let spec):
            logger.error("check run did not stop after its timeout; its worker thread was replaced and its runs are skipped until it returns",
                         metadata: fields(spec).merging(["state": "hung"]) { $1 })
        case .hungRunReturned(let spec):
            logger.info("hung check run returned; back on schedule", metadata: fields(spec))
        }
    }

    func reconcile(_ event: ReconcileEvent) {
        switch event {
        case .fileInvalid(let path, let errors, let kept):
            let first = errors.first.map(\.description) ?? path
            let consequence = kept == 1 ? "its last valid instance keeps running"
                : kept > 1 ? "its last valid \(kept) instances keep running" : "none of its instances run"
            logger.error("config file invalid, \(consequence): \(first)",
                         metadata: ["config_file": "\(path)", "state": "\(kept > 0 ? "degraded" : "invalid")", "error": "\(first)",
                                    "errors": "\(errors.count)", MessageIDs.metadataKey: "\(MessageIDs.configInvalid)"])
        case .fileRecovered(let path):
            logger.info("config file valid again", metadata: ["config_file": "\(path)", "state": "ok", MessageIDs.metadataKey: "\(MessageIDs.configRecovered)"])
        case .configDirectoryMissing(let path, let reason):
            logger.warning("config directory unreadable, keeping the checks it had: \(reason)", metadata: ["config_dir": "\(path)"])
        case .configDirectoryBack(let path):
            logger.info("config directory readable again", metadata: ["config_dir": "\(path)"])
        case .passCompleted(let summary):
            for (kind, extra) in counts.endPass() where extra > 0 {
                let hint = kind == "unscheduled" ? "" : " (see /status for each)"
                logger.info("\(extra) more instances \(kind) in this pass\(hint)", metadata: ["\(kind)": "\(extra)"])
            }
            guard summary.scheduled + summary.unscheduled + summary.loadFailures > 0 else { return }
            // A pass that only retried loads changed nothing: each load failure was logged when it
            // began or changed, so the backoff's retries stay below info.
            let level: Logger.Level = summary.scheduled + summary.unscheduled > 0 ? .info : .debug
            logger.log(level: level, "reconciled", metadata: [
                "scheduled": "\(summary.scheduled)", "unscheduled": "\(summary.unscheduled)", "replaced": "\(summary.replaced)",
                "unchanged": "\(summary.unchanged)", "load_failures": "\(summary.loadFailures)",
                "files_parsed": "\(summary.filesParsed)", "duration_ms": "\(String(format: "%.2f", seconds(summary.duration) * 1000))",
            ])
        }
    }

    func watcher(_ root: WatchStatus.Root) {
        switch root.mode {
        case .inotify:
            logger.info("watching config directory", metadata: ["config_dir": "\(root.path)", "watched_directories": "\(root.watchedDirectories)"])
        case .polling(let reason):
            logger.warning("config directory is polled, not watched: \(reason)",
                           metadata: ["config_dir": "\(root.path)", "state": "polling", "reason": "\(reason)",
                                      MessageIDs.metadataKey: "\(MessageIDs.watcherPolling)"])
        case .missing where checksDirs.contains(root.path):
            logger.info("checks directory absent (no custom Python checks); watching for it", metadata: ["checks_dir": "\(root.path)"])
        case .missing:
            logger.warning("config directory missing; waiting for it", metadata: ["config_dir": "\(root.path)"])
        }
    }

    /// A full re-read the watcher asked for because changes may have been missed (queue
    /// overflow, a root that came or went, a failed read). The periodic safety net is routine
    /// and SIGHUP is logged where it arrives, so neither gets a line here.
    func watcherResync(_ reasons: [String]) {
        let notable = reasons.filter { $0 != "periodic resync" && $0 != "SIGHUP" }
        guard !notable.isEmpty else { return }
        logger.warning("config directories re-read in full: \(notable.joined(separator: "; "))",
                       metadata: ["reason": "\(notable.joined(separator: "; "))", MessageIDs.metadataKey: "\(MessageIDs.watcherResync)"])
    }

    /// Lines for the systemd notifications' moments, with their journal IDs: `ready` after
    /// the first full reconcile (and after each reload), `stopping` on SIGTERM/SIGINT.
    func ready(_ status: String) {
        logger.info("ready: \(status)", metadata: [MessageIDs.metadataKey: "\(MessageIDs.ready)"])
    }

    func confDirWillNotUpdate(_ warning: ConfDirAdvisor.Warning) {
        logger.warning("config directory will not update: \(warning.message)",
                       metadata: ["config_dir": "\(warning.confDir)", "path": "\(warning.path)", "state": "static",
                                  MessageIDs.metadataKey: "\(MessageIDs.confDirStatic)"])
    }

    func stopping(grace: Duration) {
        logger.info("stopping: letting running checks finish",
                    metadata: ["grace_s": "\(grace.components.seconds)", MessageIDs.metadataKey: "\(MessageIDs.stopping)"])
    }

    private static func cappedKind(_ event: RuntimeEvent) -> String? {
        switch event {
        case .scheduled: return "scheduled"
        case .unscheduled: return "unscheduled"
        case .loadFailed: return "failed to load"
        case .skipped: return "skipped"
        case .runFailing, .runRecovered, .runsSkipped, .runHung, .hungRunReturned: return nil
        }
    }

    private func fields(_ spec: CheckSpec, _ messageID: String? = nil) -> Logger.Metadata {
        var fields: Logger.Metadata = ["check_id": "\(spec.id)", "check_name": "\(spec.checkName)", "config_file": "\(spec.source.path)"]
        if let messageID { fields[MessageIDs.metadataKey] = "\(messageID)" }
        return fields
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

import Foundation

/// Lines written per kind in the current pass, and how many more were held back.
final class PassCounts: Sendable {
    private let state = Mutex([String: (written: Int, held: Int)]())

    func admit(_ kind: String) -> Bool {
        state.withLock { counts in
            var entry = counts[kind] ?? (0, 0)
            defer { counts[kind] = entry }
            if entry.written < EventLog.linesPerPass {
                entry.written += 1
                return true
            }
            entry.held += 1
            return false
        }
    }

    /// The held-back counts, sorted by kind; counting starts again.
    func endPass() -> [(String, Int)] {
        state.withLock { counts in
            defer { counts = [:] }
            return counts.map { ($0.key, $0.value.held) }.sorted { $0.0 < $1.0 }
        }
    }
}

import Synchronization
