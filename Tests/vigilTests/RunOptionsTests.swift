import Foundation
import ArgumentParser
@testable import Daemon
import StatusServer
import TestSupport
import Testing
@testable import vigil

/// `vigil run`'s options: flags, `VIGIL_*` variables, defaults, and what is refused.
@Suite struct RunOptionsTests {
    static func options(_ arguments: [String], environment: [String: String] = [:]) throws -> DaemonOptions {
        try RunCommand.parse(arguments).resolvedOptions(environment: environment)
    }

    @Test func defaults() throws {
        let options = try Self.options([])
        #expect(options.confDirs == ["/etc/vigil/conf.d"])
        #expect(options.listen == .tcp(host: "127.0.0.1", port: 9717))
        #expect(options.workers == 4 && options.debounce == .milliseconds(100) && options.resyncInterval == .seconds(300))
        #expect(options.logFormat == .auto && options.pollInterval == nil)
    }

    /// A long debounce is honoured: the steady-writer cap grows with it instead of cutting it
    /// to the watcher's 1 s.
    @Test(arguments: [("0", 1.0, 0.0), ("100ms", 1.0, 0.1), ("5s", 50.0, 5.0)])
    func debounceSetsTheLongestWait(_ flag: String, _ maxDelay: Double, _ quiet: Double) throws {
        let watch = Daemon.watchOptions(try Self.options(["--debounce", flag]))
        #expect(watch.debounce == .milliseconds(Int64(quiet * 1000)))
        #expect(watch.maxDelay == .milliseconds(Int64(maxDelay * 1000)))
    }

    @Test func aFileGivenAsADirectoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("memory.yaml", "instances: [{}]\n")
        for flag in ["--conf-dir", "--checks-dir"] {
            let error = #expect(throws: (any Error).self) { try Self.options([flag, file]) }
            #expect("\(error.map { String(describing: $0) } ?? "")".contains("\(flag) \(file) is a file, not a directory"))
        }
        _ = try Self.options(["--conf-dir", dir.file("not-yet-mounted")])
    }

    @Test func directoriesAreMadeAbsolute() throws {
        let cwd = FileManager.default.currentDirectoryPath
        let options = try Self.options(["--conf-dir", "conf.d/", "--conf-dir", "/etc/vigil/../vigil/conf.d", "--checks-dir", "./checks.d"])
        #expect(options.confDirs == [cwd + "/conf.d", "/etc/vigil/conf.d"])
        #expect(options.checksDirs == [cwd + "/checks.d"])
    }

    @Test func environmentVariablesAndFlagsWin() throws {
        let environment = ["VIGIL_CONF_DIR": "/a:/b", "VIGIL_LISTEN": "unix:/run/v.sock", "VIGIL_WORKERS": "8",
                           "VIGIL_DEBOUNCE": "250ms", "VIGIL_RESYNC_INTERVAL": "0", "VIGIL_LOG_FORMAT": "json",
                           "VIGIL_POLL_INTERVAL": "2s", "VIGIL_SHUTDOWN_GRACE": "1m", "VIGIL_HOSTNAME": "box"]
        let fromEnvironment = try Self.options([], environment: environment)
        #expect(fromEnvironment.confDirs == ["/a", "/b"])
        #expect(fromEnvironment.listen == .unix(path: "/run/v.sock"))
        #expect(fromEnvironment.workers == 8 && fromEnvironment.debounce == .milliseconds(250))
        #expect(fromEnvironment.resyncInterval == nil, "0 turns the periodic resync off")
        #expect(fromEnvironment.logFormat == .json && fromEnvironment.pollInterval == .seconds(2))
        #expect(fromEnvironment.shutdownGrace == .seconds(60) && fromEnvironment.hostname == "box")

        let flags = try Self.options(["--conf-dir", "/c", "--workers", "2", "--listen", "[::1]:0"], environment: environment)
        #expect(flags.confDirs == ["/c"] && flags.workers == 2)
        #expect(flags.listen == .tcp(host: "::1", port: 0))
    }

    @Test(arguments: [["--workers", "0"], ["--debounce", "fast"], ["--listen", "nowhere"], ["--log-format", "xml"], ["--poll-interval", "1ms"]])
    func badValuesAreRefused(_ arguments: [String]) {
        #expect(throws: (any Error).self) { _ = try Self.options(arguments) }
    }
}
