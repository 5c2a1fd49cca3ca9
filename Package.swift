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
    ],
    targets: [
        // System libraries. No `link` lines: pkg-config supplies -lyaml, -lpython3.11, -lsystemd.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPython", pkgConfig: "python3-embed", providers: [.apt(["libpython3-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),

        .target(name: "VigilYAML", dependencies: ["CYAML"], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "VigilConfig", dependencies: ["VigilYAML"], exclude: ["README.md"], swiftSettings: strict),
        .target(name: "Reconciler", dependencies: ["VigilConfig"], swiftSettings: strict),
        .target(name: "Watch", exclude: ["README.md"], swiftSettings: strict),
        .target(
            name: "Runtime",
            dependencies: [
                "VigilConfig", "VigilYAML",
                .target(name: "CPython", condition: .when(traits: ["Python"])),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilYAML", "VigilConfig", "Reconciler", "Watch", "Runtime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vigil-bench",
            dependencies: [
                "VigilYAML", "VigilConfig", "Watch",
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
        .testTarget(name: "ReconcilerTests", dependencies: ["Reconciler"], swiftSettings: strict),
        .testTarget(name: "WatchTests", dependencies: ["Watch", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "VigilConfig", "VigilYAML", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "vigilTests", dependencies: ["vigil", "TestSupport"], swiftSettings: strict),
    ]
)
