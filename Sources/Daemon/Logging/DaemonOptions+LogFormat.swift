public import Logging

extension DaemonOptions.LogFormat {
    /// `auto` made concrete for this process (the others are returned as they are):
    /// - `journal` when stderr is already the journal (`JOURNAL_STREAM` matches fd 2) and
    ///   journald's socket can be reached (else `text`: the stream still carries it), or when
    ///   systemd started us (`INVOCATION_ID`), stderr is not a terminal and journald answers on
    ///   its socket;
    /// - else `json` when stderr is not a terminal (containers, log shippers);
    /// - else `text`.
    ///
    /// - Parameter facts: what the choice depends on; ``JournalDetection/Facts/current(environment:)`` by default.
    public func resolved(_ facts: @autoclosure () -> JournalDetection.Facts = .current()) -> DaemonOptions.LogFormat {
        guard self == .auto else { return self }
        let facts = facts()
        // Native entries only where journald's socket can be reached: without it they would be
        // dropped silently, while text on a stderr that is the journal stream still arrives.
        if facts.stderrIsJournalStream { return facts.journalListening ? .journal : .text }
        if !facts.stderrIsTTY && facts.journalListening && facts.underSystemd { return .journal }
        return facts.stderrIsTTY ? .text : .json
    }

    /// The handler for this format: native journal entries for `journal` (nothing is echoed to
    /// stderr, which under systemd would be the journal a second time), lines on stderr for
    /// `json` and `text`. Resolve `auto` first; here it means `text`.
    ///
    /// - Parameter label: the logger's label.
    public func makeHandler(label: String) -> any LogHandler {
        switch self {
        case .journal: return JournalLogHandler(label: label)
        case .json, .text, .auto: return VigilLogHandler(label: label, format: self)
        }
    }
}
