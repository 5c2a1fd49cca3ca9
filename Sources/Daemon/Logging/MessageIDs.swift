/// One journal `MESSAGE_ID` per kind of event Vigil logs, so `journalctl MESSAGE_ID=<id>` finds
/// every occurrence and `journalctl -x` shows the explanation from `contrib/vigil.catalog`.
///
/// Each ID was generated once with `systemd-id128 new` and is frozen: changing one breaks users'
/// saved queries and the catalog (systemd.journal-fields(7), systemd `docs/CATALOG.md`). A new
/// event type gets a new ID here, a line in ``all`` and an entry in `contrib/vigil.catalog`; the
/// tests check all three agree. Loggers carry the ID as the `message_id` metadata key; the
/// journal handler sends it as `MESSAGE_ID`.
public enum MessageIDs {
    /// A check instance was loaded and scheduled.
    public static let checkScheduled = "5b6a66f4d7084c8d8ea87165a8699a67"
    /// A check instance was stopped and removed (its config went away or changed).
    public static let checkUnscheduled = "c3244f4c7e3340598e494a7e94ac30f1"
    /// No loader could load a check instance.
    public static let loadFailed = "d031c9a35d0f4706aa05e6f7673aa2da"
    /// A check's runs started failing.
    public static let runFailing = "638c78aef1e741409e8838f1f35f7043"
    /// A failing check ran successfully again.
    public static let runRecovered = "164ecc9543bd4792ae9d908531c1041c"
    /// A config file could not be parsed or validated.
    public static let configInvalid = "50cda6d4a09b4d02ad570c1691dca427"
    /// An invalid config file is valid again.
    public static let configRecovered = "d1914deb9fe7411dbc45695373e43815"
    /// A config directory is polled because inotify could not watch it.
    public static let watcherPolling = "7328888b22d8481bb2879091cce05414"
    /// The watcher may have missed changes (queue overflow, a root came or went) and re-reads
    /// everything.
    public static let watcherResync = "88d545f45e9842eab34d92c63a1f7314"
    /// SIGHUP: every config file is re-read.
    public static let reload = "f3a21c913991466cbb5751b7d9fa7589"
    /// The first full reconcile finished; the daemon is ready.
    public static let ready = "172f679f198042abb71c4e2d06635497"
    /// SIGTERM/SIGINT: the daemon is stopping its checks.
    public static let stopping = "ae6731884efc4a1596895bb1fa6e8dcc"
    /// A conf dir that will never see an update (a subPath mount, a static read-only mount).
    public static let confDirStatic = "e5356b22f4b04da48b94b93ad02133ac"

    /// Every ID, by name, in declaration order.
    public static let all: [(name: String, id: String)] = [
        ("checkScheduled", checkScheduled), ("checkUnscheduled", checkUnscheduled), ("loadFailed", loadFailed),
        ("runFailing", runFailing), ("runRecovered", runRecovered), ("configInvalid", configInvalid),
        ("configRecovered", configRecovered), ("watcherPolling", watcherPolling), ("watcherResync", watcherResync),
        ("reload", reload), ("ready", ready), ("stopping", stopping), ("confDirStatic", confDirStatic),
    ]

    /// The metadata key loggers use for the ID (sent to the journal as `MESSAGE_ID`).
    public static let metadataKey = "message_id"
}
