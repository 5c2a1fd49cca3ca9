// swift-tools-version: 6.1
import PackageDescription

// Vigil: a check runner that reconciles conf.d files into running checks.
// Layout and dependency direction follow ../shared/design/ARCHITECTURE.md and STYLE.md:
// VigilYAML <- VigilConfig <- {Reconciler, Runtime}; Watch stands alone; only `vigil` sees all.

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "vigil-bench", targets: ["vigil-bench"]),
    ],
    traits: [
        .trait(name: "Python", description: "Embed CPython to run datadog_checks.base checks."),
        .default(enabledTraits: ["Python"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        // System libraries. No `link` lines: pkg-config supplies -lyaml, -lpython3.11, -lsystemd.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPython", pkgConfig: "python3-embed", providers: [.apt(["libpython3-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        // The C half of the Python host: the builtin modules checks-base imports, calling back
        // into Swift through a table of function pointers. Compiled empty without the trait.
        .target(
            name: "CVigilPython",
            dependencies: [.target(name: "CPython", condition: .when(traits: ["Python"]))],
            cSettings: [.define("VIGIL_WITH_PYTHON", .when(traits: ["Python"]))]
        ),
        // glibc's GNU spawn helpers (close-on-exec pipes, closefrom in the child) for plugins.
        .target(name: "CVigilSpawn"),
        .target(name: "VigilYAML", dependencies: ["CYAML"], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "VigilConfig", dependencies: ["VigilYAML"], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Reconciler", dependencies: ["VigilConfig"], swiftSettings: strict),
        .target(name: "Watch", exclude: ["README.md"], swiftSettings: strict),
        .target(
            name: "Runtime",
            dependencies: [
                "VigilConfig", "VigilYAML", "CVigilPython", "CVigilSpawn",
                .target(name: "CPython", condition: .when(traits: ["Python"])),
            ],
            swiftSettings: strict
        ),
        // The local HTTP API (/healthz, /readyz, /status, /metrics); the only Hummingbird user.
        .target(
            name: "StatusServer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // The composition root: watcher → reconcile loop → runtime → status, as services.
        .target(
            name: "Daemon",
            dependencies: [
                "VigilYAML", "VigilConfig", "Reconciler", "Watch", "Runtime", "StatusServer", "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilYAML", "VigilConfig", "Reconciler", "Watch", "Runtime", "Daemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vigil-bench",
            dependencies: [
                "VigilYAML", "VigilConfig", "Watch", "Reconciler", "Runtime", "Daemon", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Shared by the test targets: repository paths, subprocesses, temporary directories.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "VigilYAMLTests",
            dependencies: ["VigilYAML", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VigilConfigTests",
            dependencies: [
                "VigilConfig", "VigilYAML", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "ReconcilerTests", dependencies: ["Reconciler", "VigilConfig", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WatchTests", dependencies: ["Watch", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RuntimeTests",
            dependencies: ["Runtime", "VigilConfig", "VigilYAML", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "vigilTests", dependencies: ["vigil", "TestSupport"], swiftSettings: strict),
    ]
)
