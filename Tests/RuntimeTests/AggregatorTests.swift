import Testing
@testable import Runtime

/// The Agent's metric semantics, one commit per run (pkg/metrics/model in datadog-agent).
@Suite struct AggregatorTests {
    static func commit(_ aggregator: inout CheckAggregator, _ samples: [MetricSample], at time: Double) -> [String: Double] {
        let series = aggregator.commit(samples, defaultHost: "host", at: time)
        return Dictionary(uniqueKeysWithValues: series.map { ($0.metric, $0.value) })
    }

    static func sample(_ type: MetricType, _ value: Double, name: String = "m", flushFirst: Bool = false) -> MetricSample {
        MetricSample(name: name, type: type, value: value, flushFirstValue: flushFirst)
    }

    @Test func gaugeKeepsTheLastValueAndCountSums() {
        var a = CheckAggregator()
        let out = Self.commit(&a, [Self.sample(.gauge, 1, name: "g"), Self.sample(.gauge, 5, name: "g"),
                                   Self.sample(.count, 2, name: "c"), Self.sample(.count, 3, name: "c")], at: 100)
        #expect(out == ["g": 5, "c": 5])
        #expect(Self.commit(&a, [], at: 115).isEmpty, "nothing carried into a run with no samples")
    }

    @Test func rateIsTheDerivativeBetweenRuns() {
        var a = CheckAggregator()
        #expect(Self.commit(&a, [Self.sample(.rate, 10)], at: 100).isEmpty, "no rate on the first run")
        #expect(Self.commit(&a, [Self.sample(.rate, 40)], at: 115) == ["m": 2])
        #expect(Self.commit(&a, [Self.sample(.rate, 10)], at: 130).isEmpty, "a negative rate (reset) is dropped")
        #expect(Self.commit(&a, [Self.sample(.rate, 25)], at: 145) == ["m": 1])
    }

    @Test func monotonicCountSumsIncreasesAcrossRuns() {
        var a = CheckAggregator()
        #expect(Self.commit(&a, [Self.sample(.monotonicCount, 2), Self.sample(.monotonicCount, 3),
                                 Self.sample(.monotonicCount, 6), Self.sample(.monotonicCount, 7)], at: 1) == ["m": 5])
        #expect(Self.commit(&a, [Self.sample(.monotonicCount, 10), Self.sample(.monotonicCount, 11)], at: 2) == ["m": 4])
        #expect(Self.commit(&a, [Self.sample(.monotonicCount, 3)], at: 3) == ["m": 0], "a decrease is ignored")
        #expect(Self.commit(&a, [Self.sample(.monotonicCount, 5)], at: 4) == ["m": 2])
    }

    @Test func monotonicCountFirstValueIsDroppedUnlessFlushFirstValue() {
        var plain = CheckAggregator()
        #expect(Self.commit(&plain, [Self.sample(.monotonicCount, 42)], at: 1).isEmpty)
        var flushFirst = CheckAggregator()
        #expect(Self.commit(&flushFirst, [Self.sample(.monotonicCount, 42, flushFirst: true)], at: 1) == ["m": 42])
        #expect(Self.commit(&flushFirst, [Self.sample(.monotonicCount, 5, flushFirst: true)], at: 2) == ["m": 5],
                "after a reset the new raw value counts")
    }

    @Test func histogramAggregates() {
        var a = CheckAggregator()
        let values: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]
        let out = Self.commit(&a, values.map { Self.sample(.histogram, $0) }, at: 1)
        #expect(out == ["m.max": 20, "m.median": 10, "m.avg": 10.5, "m.count": 20, "m.95percentile": 19])
        let types = Dictionary(uniqueKeysWithValues: a.commit(values.map { Self.sample(.histogram, $0) }, defaultHost: "h", at: 2)
            .map { ($0.metric, $0.type) })
        #expect(types["m.count"] == .rate && types["m.max"] == .gauge)
    }

    @Test func historateNeedsTwoSamplesInARun() {
        var a = CheckAggregator()
        #expect(Self.commit(&a, [Self.sample(.historate, 1)], at: 1).isEmpty)
        var first = Self.sample(.historate, 1), second = Self.sample(.historate, 5)
        (first.timestamp, second.timestamp) = (10, 12)
        let out = Self.commit(&a, [first, second], at: 12)
        #expect(out["m.count"] == 1)
        #expect(out["m.max"] == 2, "(5 - 1) / (12 - 10)")
    }

    @Test func counterIsSentAsARate() {
        var a = CheckAggregator()
        let series = a.commit([Self.sample(.counter, 2), Self.sample(.counter, 3)], defaultHost: "h", at: 1)
        #expect(series.map(\.value) == [5] && series.map(\.type) == [.rate])
    }

    @Test func contextsAreNameHostAndTagSet() {
        var a = CheckAggregator()
        let series = a.commit([
            MetricSample(name: "g", type: .gauge, value: 1, tags: ["a:1", "b:2"]),
            MetricSample(name: "g", type: .gauge, value: 2, tags: ["b:2", "a:1"]),
            MetricSample(name: "g", type: .gauge, value: 3, tags: ["a:1"], host: "other"),
        ], defaultHost: "me", at: 1)
        #expect(series.count == 2)
        #expect(series.first { $0.host == "me" }?.value == 2)
    }

    @Test func senderAppendsInstanceTagsAndServiceWithoutDuplicates() {
        let sender = Sender(policy: SenderPolicy(extraTags: ["env:prod", "role:db"], service: "pay", defaultHost: "box"))
        sender.gauge("g", 1, tags: ["role:db", "x:y"])
        sender.serviceCheck("s", .ok)
        let taken = sender.take()
        #expect(taken.metrics.first?.tags == ["role:db", "x:y", "env:prod", "service:pay"])
        #expect(taken.metrics.first?.host == "box")
        #expect(taken.serviceChecks.first?.tags == ["env:prod", "role:db", "service:pay"])
        let empty = Sender(policy: SenderPolicy(defaultHost: "box", emptyDefaultHostname: true))
        empty.gauge("g", 1)
        #expect(empty.take().metrics.first?.host == "")
    }
}
