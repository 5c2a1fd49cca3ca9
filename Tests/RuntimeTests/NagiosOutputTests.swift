import Testing
@testable import Runtime

/// The Nagios plugin output format: first-line text, perfdata after `|` on any line.
@Suite struct NagiosOutputTests {
    @Test func checkLoadOutput() {
        let out = NagiosOutput("OK - load average: 0.10, 0.08, 0.05|load1=0.100;15.000;30.000;0; load5=0.080;10.000;25.000;0; load15=0.050;5.000;20.000;0; \n")
        #expect(out.message == "OK - load average: 0.10, 0.08, 0.05")
        #expect(out.perfData.map(\.label) == ["load1", "load5", "load15"])
        #expect(out.perfData.map(\.value) == [0.1, 0.08, 0.05])
    }

    /// A plugin written on Windows, or one that colours its output: CRLF lines are lines, and
    /// control characters never reach a log or status line.
    @Test func crlfLinesAndControlCharacters() {
        let out = NagiosOutput("WARNING - \u{1B}[31mhot\u{1B}[0m\u{07} | temp=70;60;80\r\nsecond line\r\n")
        #expect(out.message == "WARNING -  [31mhot [0m")
        #expect(out.longText == ["second line"])
        #expect(out.perfData == [PerfDatum(label: "temp", value: 70, unit: "")])
    }

    @Test func multiLinePerfdataAndQuotedLabels() {
        let out = NagiosOutput("""
            DISK OK - free space | 'free space'=10GB;;;0;100 time=15ms
            long text line one
            long text two | 'it''s'=3c
            bytes=2KB;1;2 pct=50%;80;90
            """)
        #expect(out.message == "DISK OK - free space")
        #expect(out.longText == ["long text line one", "long text two"])
        #expect(out.perfData == [
            PerfDatum(label: "free space", value: 10, unit: "GB"), PerfDatum(label: "time", value: 15, unit: "ms"),
            PerfDatum(label: "it's", value: 3, unit: "c"), PerfDatum(label: "bytes", value: 2, unit: "KB"),
            PerfDatum(label: "pct", value: 50, unit: "%"),
        ])
        #expect(out.perfData[0].normalized.value == 10 * 1_073_741_824)
        #expect(out.perfData[1].normalized.value == 0.015)
        #expect(out.perfData[2].normalized.isCounter)
    }

    @Test func undeterminedValuesAndGarbageAreSkipped() {
        let out = NagiosOutput("WARN|a=U;1;2 junk b=3us")
        #expect(out.perfData == [PerfDatum(label: "b", value: 3, unit: "us")])
        #expect(out.perfData[0].normalized.value == 3e-6)
    }

    @Test func metricNamesAreMadeSafe() {
        #expect(ExecCheck.metricSafe("/boot") == "_boot")
        #expect(ExecCheck.metricSafe("free space") == "free_space")
        #expect(ExecCheck.metricSafe("load1") == "load1")
    }
}
