#if canImport(Glibc)
import Glibc
#endif

/// The watcher's state machine, confined to its one thread: the inotify descriptor and its
/// watches, each root's mode, pending changes and the timers. Every inotify event only marks
/// paths as touched; deciding what they mean is the consumer's job (level-triggered).
final class WatchEngine {
    private enum RootMode {
        case watching
        case polling(TreeSnapshot, reason: String, configured: Bool)
        case missing
    }

    private struct Root {
        let path: String
        var mode: RootMode
        /// Where the path led when it was last attached (its realpath). A root that is a symlink
        /// can be re-targeted with no event at all: its own directory is not watched.
        var resolved: String?
    }

    private let options: WatchOptions
    private let outbox: BatchOutbox
    private let control: WatchControl
    private var inotify: InotifyDescriptor?
    private var inotifyUnavailable: String?
    private var roots: [Root]
    private var watches = WatchTable()
    /// Watches on the parent directories of roots that are symlinks, by watch descriptor: a
    /// link re-pointed with `ln -sfn` + `mv -T` changes nothing inside the old target, so only
    /// the parent sees it (a `current -> release-N` deploy).
    private var rootParents: [Int32: String] = [:]
    /// Watches on the directories holding the targets of symlinked config files that live
    /// outside every root (`conf.d/app.yaml -> /opt/app/monitoring.yaml`): by watch
    /// descriptor, each target file name with the config paths that link to it. An edit of the
    /// target changes nothing in conf.d itself.
    private var linkTargets: [Int32: [String: Set<String>]] = [:]
    /// Off until the watcher has said it is ready: finding symlinked files lists every watched
    /// directory again, which start-up need not wait for (a target edited in that moment is
    /// caught by the periodic resync).
    private var linkRegistration = false
    private var accumulator: BatchAccumulator
    private var nextResyncAt: UInt64?
    private var nextPollAt: UInt64?
    private var counters = WatchStatus()
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)

    init(options: WatchOptions, outbox: BatchOutbox, control: WatchControl) {
        self.options = options
        self.outbox = outbox
        self.control = control
        roots = options.roots.map { Root(path: Self.normalized($0), mode: .missing) }
        accumulator = BatchAccumulator(debounce: options.debounce, maxDelay: options.maxDelay)
    }

    deinit { buffer.deallocate() }

    private static func normalized(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    // MARK: - Loop

    /// Sets up, calls `ready`, then loops until asked to stop.
    func runAfterSetup(_ ready: () -> Void) {
        if options.mode == .inotify { openInotify() }
        for index in roots.indices { attach(index) }
        watchRootParents()
        let now = MonotonicClock.now()
        if let interval = options.resyncInterval { nextResyncAt = now &+ interval.nanoseconds }
        schedulePoll(now: now)
        publishStatus()
        ready()
        registerAllFileLinks()

        while !control.requests.withLock({ $0.stop }) {
            waitForActivity()
            handleRequests()
            readEvents()
            let now = MonotonicClock.now()
            runTimers(now: now)
            if let batch = accumulator.takeIfDue(at: now) {
                outbox.post(batch)
                counters.batchesDelivered += 1
            }
            publishStatus()
        }
        inotify = nil
        outbox.finish()
    }

    /// Blocks in poll(2) on inotify and the wake eventfd until an event, a request, or the
    /// earliest deadline. With nothing pending and no polling, it blocks without a timeout.
    private func waitForActivity() {
        var fds = [pollfd(fd: control.wake.fd, events: Int16(POLLIN), revents: 0)]
        if let fd = inotify?.fd { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let deadlines = [accumulator.deadline, nextResyncAt, nextPollAt].compactMap { $0 }
        var timeout: Int32 = -1
        if let deadline = deadlines.min() {
            let now = MonotonicClock.now()
            let wait = deadline > now ? deadline - now : 0
            // Round up: waking a little late is fine, waking early would spin.
            timeout = Int32(clamping: (wait + 999_999) / 1_000_000)
        }
        let result = poll(&fds, nfds_t(fds.count), timeout)
        counters.wakeups += 1
        if result < 0, errno != EINTR { fatalError("poll: \(String(cString: strerror(errno)))") }
        if fds[0].revents != 0 { control.wake.drain() }
    }

    private func handleRequests() {
        let reasons = control.requests.withLock { requests in
            defer { requests.resyncReasons = [] }
            return requests.resyncReasons
        }
        if !reasons.isEmpty { resync(reasons) }
        if options.faults?.takeOverflow() == true { overflow() }
    }

    private func readEvents() {
        guard let fd = inotify?.fd else { return }
        while true {
            let count: Int
            do {
                count = try Inotify.read(fd, into: buffer)
            } catch {
                mark(.resync(reasons: ["reading inotify failed (\(error)); rescanning"]))
                return
            }
            guard count > 0 else { return }
            for event in InotifyEvent.parse(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
                counters.eventsRead += 1
                handle(event)
                if inotify == nil || event.isOverflow { return }
            }
        }
    }

    private func runTimers(now: UInt64) {
        if let due = nextResyncAt, now >= due, let interval = options.resyncInterval {
            nextResyncAt = now &+ interval.nanoseconds
            resync(["periodic resync"])
        }
        if let due = nextPollAt, now >= due {
            pollRoots()
            schedulePoll(now: now)
        }
    }

    /// A resync, periodic or asked for: the consumer re-reads everything, and the watcher
    /// re-checks what no event reports, then retries inotify where it fell back to polling.
    private func resync(_ reasons: [String]) {
        mark(.resync(reasons: reasons))
        reattachWatches()
        retryInotify()
    }

    /// Roots that fell back to polling for lack of inotify try it again, at every resync: a new
    /// descriptor first if `inotify_init1` failed, then the watches. If that fails too, the
    /// previous snapshot stays, so the next poll still reports every change since the last one.
    private func retryInotify() {
        if options.mode == .inotify, inotify == nil {
            openInotify()
            guard inotify != nil else { return }
            watchRootParents()
            mark(.resync(reasons: ["inotify available again; watching instead of polling"]))
        }
        for index in roots.indices {
            guard case .polling(let previous, _, configured: false) = roots[index].mode, inotify != nil else { continue }
            attach(index)
            if case .polling(_, let reason, let configured) = roots[index].mode {
                roots[index].mode = .polling(previous, reason: reason, configured: configured)
            }
        }
        schedulePoll(now: MonotonicClock.now())
    }

    private func schedulePoll(now: UInt64) {
        var interval: Duration?
        for root in roots {
            switch root.mode {
            case .watching: continue
            case .polling(_, _, configured: true):
                if case .poll(let configured) = options.mode { interval = min(interval ?? configured, configured) }
            case .polling, .missing:
                interval = min(interval ?? options.fallbackPollInterval, options.fallbackPollInterval)
            }
        }
        nextPollAt = interval.map { now &+ $0.nanoseconds }
    }

    private func mark(_ batch: WatchBatch) {
        accumulator.add(batch, at: MonotonicClock.now())
    }

    private func mark(_ path: String) {
        mark(.changed([path]))
    }

    // MARK: - Roots

    /// Starts watching a root: inotify on it and its visible subdirectories, or polling when
    /// inotify is off or out of watches, or "missing" when it is not there.
    private func attach(_ index: Int) {
        let path = roots[index].path
        unwatch(under: path)
        roots[index].resolved = DirectoryListing.resolved(path)
        guard DirectoryListing.isDirectory(path) else {
            roots[index].mode = .missing
            return
        }
        if case .poll = options.mode {
            roots[index].mode = .polling(snapshot(path), reason: "configured to poll", configured: true)
            return
        }
        if let inotifyUnavailable {
            roots[index].mode = .polling(snapshot(path), reason: inotifyUnavailable, configured: false)
            return
        }
        do {
            try watch(path)
            let children = subdirectories(of: path)
            for child in children { try watch(child) }
            for directory in [path] + children { registerFileLinks(in: directory) }
            roots[index].mode = .watching
        } catch {
            fallBackToPolling(index, because: error)
        }
    }

    private func fallBackToPolling(_ index: Int, because error: WatchError) {
        let path = roots[index].path
        unwatch(under: path)
        guard DirectoryListing.isDirectory(path) else {
            roots[index].mode = .missing
            return
        }
        let interval = options.fallbackPollInterval
        let reason = error.isResourceLimit
            ? "\(error): inotify limit reached (see fs.inotify.max_user_watches); polling every \(interval)"
            : "\(error); polling every \(interval)"
        roots[index].mode = .polling(snapshot(path), reason: reason, configured: false)
        // Events between the failure and this snapshot would otherwise go unreported.
        mark(.resync(reasons: ["\(path): \(reason)"]))
        schedulePoll(now: MonotonicClock.now())
    }

    /// Watches every watching root again, because some changes come with no event: a root that
    /// is a symlink re-targeted elsewhere (its parent is not watched), a `<check>.d` link whose
    /// target was removed and recreated after its watch went, a mount over a watched directory
    /// (inotify(7)). `inotify_add_watch` on an unchanged directory returns the watch it already
    /// has, so this is one system call per directory and no event.
    private func reattachWatches() {
        watchRootParents()
        let previousTargets = linkTargets
        linkTargets = [:]
        defer { dropUnusedTargetWatches(previousTargets) }
        for index in roots.indices {
            guard case .watching = roots[index].mode else { continue }
            let path = roots[index].path
            guard DirectoryListing.isDirectory(path) else {
                rootGone(index, "disappeared")
                continue
            }
            if followRetargetedRoot(index) { continue }
            do {
                try rewatch(path)
                let current = subdirectories(of: path)
                for stale in watches.children(of: path) where !current.contains(stale) { unwatch(stale) }
                for child in current { try rewatch(child) }
                for directory in [path] + current { registerFileLinks(in: directory) }
            } catch {
                fallBackToPolling(index, because: error)
            }
        }
    }

    /// When a root now resolves to another directory, watches it there and asks for a full
    /// re-read; returns whether it did.
    @discardableResult
    private func followRetargetedRoot(_ index: Int) -> Bool {
        let path = roots[index].path
        guard let resolved = DirectoryListing.resolved(path), resolved != roots[index].resolved else { return false }
        attach(index)
        mark(path)
        mark(.resync(reasons: ["config directory \(path) now resolves to \(resolved); watches rebuilt"]))
        return true
    }

    /// Watches the parent of every root that is a symlink (once; `inotify_add_watch` on a
    /// watched directory returns its watch).
    private func watchRootParents() {
        guard let fd = inotify?.fd else { return }
        for root in roots where DirectoryListing.isSymlink(root.path) {
            let parent = Self.parent(of: root.path)
            guard let wd = try? Inotify.addWatch(fd, path: parent) else { continue }
            rootParents[wd] = parent
        }
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// An entry of a root's parent was created, renamed or removed: if it is a root (a link
    /// re-pointed by rename, removed, or made), follow it now instead of at the next resync.
    private func rootParentChanged(_ event: InotifyEvent, parent: String) {
        guard event.has(IN_CREATE) || event.has(IN_MOVED_TO) || event.has(IN_DELETE) || event.has(IN_MOVED_FROM) else { return }
        let path = (parent == "/" ? "" : parent) + "/" + event.name
        guard let index = rootIndex(of: path) else { return }
        switch roots[index].mode {
        case .watching:
            if !DirectoryListing.isDirectory(path) { rootGone(index, "disappeared") } else { followRetargetedRoot(index) }
        case .missing:
            guard DirectoryListing.isDirectory(path) else { return }
            attach(index)
            mark(.resync(reasons: ["config directory \(path) appeared"]))
        case .polling:
            return
        }
    }

    /// Registers every relevant symlinked file of `directory` whose target lies outside the
    /// roots (see ``linkTargets``).
    private func registerFileLinks(in directory: String) {
        guard linkRegistration else { return }
        for name in DirectoryListing.visibleSymlinkNames(directory) where options.isRelevant(name, false) {
            registerFileLink(directory + "/" + name)
        }
    }

    /// Every watching root's symlinked files, once the watcher is ready (see ``linkRegistration``).
    private func registerAllFileLinks() {
        linkRegistration = true
        for root in roots {
            guard case .watching = root.mode else { continue }
            // The directories already watched: no second stat of every entry.
            for directory in watches.paths(under: root.path) { registerFileLinks(in: directory) }
        }
    }

    private func registerFileLink(_ path: String) {
        guard let fd = inotify?.fd, DirectoryListing.isSymlink(path), let target = DirectoryListing.resolved(path),
              !DirectoryListing.isDirectory(target) else { return }
        let insideARoot = roots.contains { root in
            [root.path, root.resolved].compactMap { $0 }.contains { target.hasPrefix($0 + "/") }
        }
        guard !insideARoot, let name = target.split(separator: "/").last else { return }
        guard let wd = try? Inotify.addWatch(fd, path: Self.parent(of: target)) else { return }
        linkTargets[wd, default: [:]][String(name), default: []].insert(path)
    }

    /// After a rebuild: target-directory watches no link needs any more go, unless the same
    /// directory is watched for another reason.
    private func dropUnusedTargetWatches(_ previous: [Int32: [String: Set<String>]]) {
        guard let fd = inotify?.fd else { return }
        for wd in previous.keys where linkTargets[wd] == nil && rootParents[wd] == nil && watches.paths(for: wd).isEmpty {
            Inotify.removeWatch(fd, wd)
        }
    }

    /// Whether a watch descriptor serves something besides config directories.
    private func isSharedWatch(_ wd: Int32) -> Bool {
        rootParents[wd] != nil || linkTargets[wd] != nil
    }

    /// Watches `path` again, and reports it when it now leads to another directory.
    private func rewatch(_ path: String) throws(WatchError) {
        let before = watches.wd(for: path)
        try watch(path)
        if watches.wd(for: path) != before { mark(path) }
    }

    /// A root's visible, relevant subdirectories (links followed): the ones it watches.
    private func subdirectories(of root: String) -> [String] {
        DirectoryListing.visibleNames(root).compactMap { name in
            let child = root + "/" + name
            return DirectoryListing.isDirectory(child) && options.isRelevant(name, true) ? child : nil
        }
    }

    private func rootGone(_ index: Int, _ why: String) {
        unwatch(under: roots[index].path)
        roots[index].mode = .missing
        mark(.resync(reasons: ["config directory \(roots[index].path) \(why)"]))
        schedulePoll(now: MonotonicClock.now())
    }

    private func pollRoots() {
        for index in roots.indices {
            let path = roots[index].path
            switch roots[index].mode {
            case .watching:
                continue
            case .missing:
                guard DirectoryListing.isDirectory(path) else { continue }
                attach(index)
                mark(.resync(reasons: ["config directory \(path) appeared"]))
            case .polling(let old, let reason, let configured):
                guard DirectoryListing.isDirectory(path) else {
                    rootGone(index, "disappeared")
                    continue
                }
                let new = snapshot(path)
                let changed = new.changes(since: old)
                if !changed.isEmpty { mark(.changed(changed)) }
                roots[index].mode = .polling(new, reason: reason, configured: configured)
            }
        }
    }

    private func snapshot(_ root: String) -> TreeSnapshot {
        TreeSnapshot.take(root: root, isRelevant: options.isRelevant)
    }

    private func rootIndex(of path: String) -> Int? {
        roots.firstIndex { $0.path == path }
    }

    private func rootIndex(containing path: String) -> Int? {
        roots.firstIndex { path == $0.path || path.hasPrefix($0.path + "/") }
    }

    // MARK: - Watches

    /// A new inotify descriptor, or the reason there is none (roots then poll until a resync
    /// finds one).
    private func openInotify() {
        do {
            inotify = try initializeInotify()
            inotifyUnavailable = nil
        } catch {
            let limit = error.isResourceLimit ? ": inotify limit reached (see fs.inotify.max_user_instances)" : ""
            inotifyUnavailable = "\(error)\(limit); polling, and retrying inotify at each resync"
        }
    }

    private func initializeInotify() throws(WatchError) -> InotifyDescriptor {
        if let injected = options.faults?.inotifyInitFailure() { throw WatchError(.inotifyInit, errno: injected) }
        return try Inotify.initialize()
    }

    private func watch(_ path: String) throws(WatchError) {
        guard let fd = inotify?.fd else { return }
        if let injected = options.faults?.addWatchFailure(for: path) {
            throw WatchError(.addWatch, errno: injected, path: path)
        }
        let wd = try Inotify.addWatch(fd, path: path)
        // The path may now name another directory (a ConfigMap swap, a re-pointed link): its
        // old watch goes, unless another path still leads there.
        if let unused = watches.insert(path, wd: wd), !isSharedWatch(unused) { Inotify.removeWatch(fd, unused) }
    }

    private func unwatch(_ path: String) {
        guard let unused = watches.remove(path), let fd = inotify?.fd, !isSharedWatch(unused) else { return }
        Inotify.removeWatch(fd, unused)
    }

    private func unwatch(under root: String) {
        for path in watches.paths(under: root) { unwatch(path) }
    }

    /// IN_Q_OVERFLOW: events were lost and the kernel does not say which. A new descriptor,
    /// every watch again, and a full resync (inotify(7)).
    private func overflow() {
        counters.overflows += 1
        counters.rebuilds += 1
        inotify = nil
        watches.removeAll()
        rootParents.removeAll()
        linkTargets.removeAll()
        openInotify()
        for index in roots.indices { attach(index) }
        watchRootParents()
        mark(.resync(reasons: ["inotify event queue overflowed; watches rebuilt"]))
        schedulePoll(now: MonotonicClock.now())
    }

    // MARK: - Events

    private func handle(_ event: InotifyEvent) {
        if event.isOverflow {
            overflow()
            return
        }
        if let linked = linkTargets[event.wd] {
            if event.has(IN_IGNORED) {
                linkTargets[event.wd] = nil
            } else if let links = linked[event.name] {
                for link in links { mark(link) }
            }
        }
        if let parent = rootParents[event.wd] {
            if event.has(IN_IGNORED) { rootParents[event.wd] = nil } else { rootParentChanged(event, parent: parent) }
            // The same directory may also be a watched config directory: go on.
        }
        if event.has(IN_IGNORED) {
            // The kernel dropped the watch: the directory was removed, or a link's target
            // swapped away. Nothing for a watch already dropped here.
            for directory in watches.forget(event.wd) {
                if let root = rootIndex(of: directory) {
                    rootGone(root, "was removed")
                } else if DirectoryListing.isDirectory(directory) {
                    // A symlinked subdirectory whose target went away under a ConfigMap swap.
                    watchSubdirectory(directory)
                }
            }
            return
        }
        // Links can lead several paths to one directory, and so to one watch: the event is
        // about each of them.
        for directory in watches.paths(for: event.wd) { handle(event, in: directory) }
    }

    private func handle(_ event: InotifyEvent, in directory: String) {
        let root = rootIndex(of: directory)
        if event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) || event.has(IN_UNMOUNT) {
            if let root {
                // After MOVE_SELF the watch would follow the moved inode: drop it explicitly.
                rootGone(root, event.has(IN_MOVE_SELF) ? "was moved away" : "was removed")
            }
            return
        }
        let name = event.name
        guard !name.isEmpty else { return }
        if name == "..data" {
            configMapSwap(in: directory, isRoot: root != nil)
            return
        }
        if DirectoryListing.isHidden(name) { return }

        let path = directory + "/" + name
        var isDirectory = event.isDirectory
        if root != nil {
            if event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
                // A symlink to a directory arrives without IN_ISDIR.
                isDirectory = isDirectory || DirectoryListing.isDirectory(path)
                if isDirectory, options.isRelevant(name, true) { watchSubdirectory(path) }
            } else if event.has(IN_DELETE) || event.has(IN_MOVED_FROM), watches.wd(for: path) != nil {
                isDirectory = true
                unwatch(path)
            }
        }
        if !isDirectory, event.has(IN_CREATE) || event.has(IN_MOVED_TO), options.isRelevant(name, false) {
            registerFileLink(path)
        }
        if options.isRelevant(name, isDirectory) { mark(path) }
    }

    /// A new or replaced `<check>.d`: watch it first, then scan it, so files written before
    /// the watch existed are not missed (inotify(7): "a new subdirectory races its contents").
    private func watchSubdirectory(_ path: String) {
        do {
            try watch(path)
        } catch {
            if let index = rootIndex(containing: path) { fallBackToPolling(index, because: error) }
            return
        }
        for name in DirectoryListing.visibleNames(path) {
            let child = path + "/" + name
            if options.isRelevant(name, DirectoryListing.isDirectory(child)) { mark(child) }
        }
        registerFileLinks(in: path)
    }

    /// Kubernetes' AtomicWriter switched `..data` to a new `..<timestamp>` directory. No event
    /// names the keys whose content changed, so every visible entry is reported, and the
    /// symlinked subdirectories are watched again at their new targets.
    private func configMapSwap(in directory: String, isRoot: Bool) {
        for name in DirectoryListing.visibleNames(directory) {
            let path = directory + "/" + name
            let isDirectory = DirectoryListing.isDirectory(path)
            guard options.isRelevant(name, isDirectory) else { continue }
            mark(path)
            if isDirectory, isRoot { watchSubdirectory(path) }
        }
    }

    // MARK: - Status

    private func publishStatus() {
        var status = counters
        status.roots = roots.map { root in
            let mode: WatchStatus.Mode
            switch root.mode {
            case .watching: mode = .inotify
            case .polling(_, let reason, _): mode = .polling(reason: reason)
            case .missing: mode = .missing
            }
            return WatchStatus.Root(path: root.path, mode: mode, watchedDirectories: watches.count(under: root.path))
        }
        control.status.withLock { current in
            if current != status { current = status }
        }
    }
}
