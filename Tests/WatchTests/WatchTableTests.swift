import Testing
@testable import Watch

/// The descriptor bookkeeping alone: the kernel hands out one watch descriptor per inode, so
/// several paths can share one (SymlinkTests covers the same with real inotify).
@Suite struct WatchTableTests {
    @Test func aSharedDescriptorServesEveryPathUntilTheLastGoes() {
        var table = WatchTable()
        #expect(table.insert("/r/a.d", wd: 2) == nil)
        #expect(table.insert("/r/b.d", wd: 2) == nil)
        #expect(table.paths(for: 2) == ["/r/a.d", "/r/b.d"])
        #expect(table.remove("/r/a.d") == nil, "b.d still needs it")
        #expect(table.paths(for: 2) == ["/r/b.d"])
        #expect(table.remove("/r/b.d") == 2)
        #expect(table.paths(for: 2).isEmpty)
        #expect(table.remove("/r/b.d") == nil)
    }

    @Test func aPathThatNowNamesAnotherDirectoryHandsBackItsOldDescriptor() {
        var table = WatchTable()
        _ = table.insert("/r/a.d", wd: 2)
        #expect(table.insert("/r/a.d", wd: 2) == nil, "watching the same directory again")
        #expect(table.insert("/r/a.d", wd: 3) == 2)
        _ = table.insert("/r/b.d", wd: 3)
        _ = table.insert("/r/c.d", wd: 4)
        #expect(table.insert("/r/c.d", wd: 5) == 4)
        #expect(table.insert("/r/b.d", wd: 5) == nil, "a.d still uses 3")
        #expect(table.paths(for: 5) == ["/r/b.d", "/r/c.d"])
    }

    @Test func forgettingADroppedDescriptorReturnsItsPaths() {
        var table = WatchTable()
        _ = table.insert("/r", wd: 1)
        _ = table.insert("/r/a.d", wd: 2)
        _ = table.insert("/s/x.d", wd: 2)
        #expect(table.forget(2) == ["/r/a.d", "/s/x.d"])
        #expect(table.wd(for: "/r/a.d") == nil)
        #expect(table.paths(under: "/r") == ["/r"])
        #expect(table.forget(2).isEmpty)
    }

    @Test func pathsUnderARootStopAtItsName() {
        var table = WatchTable()
        _ = table.insert("/r", wd: 1)
        _ = table.insert("/r/a.d", wd: 2)
        _ = table.insert("/r/a.d/nested", wd: 4)
        _ = table.insert("/rr", wd: 3)
        #expect(table.paths(under: "/r") == ["/r", "/r/a.d", "/r/a.d/nested"])
        #expect(table.count(under: "/r") == 3)
        #expect(table.children(of: "/r") == ["/r/a.d"])
    }
}
