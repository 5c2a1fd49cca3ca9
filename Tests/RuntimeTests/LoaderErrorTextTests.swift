import Runtime
import Testing

/// Loader errors read in the order the chain tried the loaders, not alphabetically.
@Suite struct LoaderErrorTextTests {
    @Test func errorsFollowTheChainOrder() {
        let text = LoaderChain.describe(["exec": "no command", "python": "No module named 'redis'", "native": "not a native check",
                                         "zeta": "other"])
        #expect(text == "native: not a native check; python: No module named 'redis'; exec: no command; zeta: other")
    }
}
