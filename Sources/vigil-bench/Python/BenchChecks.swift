import Foundation

/// The Python check modules the Python benchmarks run, written to a temporary checks.d, and
/// the floor script that runs the same check in a bare interpreter with the stub aggregator.
enum BenchChecks {
    /// `ten_gauges`: ten gauges per run, with the instance's tags, as a typical small check.
    static let tenGauges = """
        from datadog_checks.base import AgentCheck

        class TenGauges(AgentCheck):
            def check(self, instance):
                tags = instance.get('tags', [])
                for i in range(10):
                    self.gauge('bench.gauge', i, tags=tags + ['n:%d' % i])

        """

    /// `many_gauges`: `count` gauges per run (instance option), to measure submission throughput.
    static let manyGauges = """
        from datadog_checks.base import AgentCheck

        class ManyGauges(AgentCheck):
            def check(self, instance):
                tags = instance.get('tags', [])
                for i in range(instance['count']):
                    self.gauge('bench.many', i, tags=tags)

        """

    /// The floor: `check.run()` in a tight loop of a bare interpreter, submitting into
    /// `datadog_checks.base.stubs.aggregator`, reset after every run (as Vigil takes a run's
    /// submissions). Prints the mean seconds per run and the submissions seen.
    static let floorScript = """
        import sys, time
        sys.path.insert(0, sys.argv[1])
        from datadog_checks.base.stubs import aggregator
        module = __import__(sys.argv[2])
        cls = [c for c in vars(module).values() if isinstance(c, type) and c.__module__ == module.__name__][0]
        instance = {'tags': ['app:bench', 'team:core'], 'count': int(sys.argv[4])}
        check = cls(sys.argv[2], {}, [instance])
        runs = int(sys.argv[3])
        for _ in range(min(runs, 200)):
            check.run(); aggregator.reset()
        submitted = 0
        start = time.perf_counter()
        for _ in range(runs):
            result = check.run()
            if result:
                raise SystemExit(result)
            submitted += len(aggregator._metrics.get('bench.gauge' if sys.argv[2] == 'ten_gauges' else 'bench.many', ()))
            aggregator.reset()
        print(time.perf_counter() - start, submitted)

        """

    /// Writes the check modules into `directory`.
    static func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try tenGauges.write(toFile: directory + "/ten_gauges.py", atomically: true, encoding: .utf8)
        try manyGauges.write(toFile: directory + "/many_gauges.py", atomically: true, encoding: .utf8)
        try floorScript.write(toFile: directory + "/floor.py", atomically: true, encoding: .utf8)
    }
}
