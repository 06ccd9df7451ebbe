// swift-tools-version:6.0
import PackageDescription

/// Swift 6 language mode, and an import must be declared to be used (MemberImportVisibility).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6), .enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "Vitrine",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vitrine", targets: ["vitrine"]),
        // For the fuzz package in Fuzz/ (built only with -sanitize=fuzzer; see Scripts/fuzz.sh).
        .library(name: "VitrineRTMP", targets: ["VitrineRTMP"]),
        .library(name: "VitrineOverlay", targets: ["VitrineOverlay"]),
        .library(name: "VitrineServer", targets: ["VitrineServer"]),
        .library(name: "VitrinePipeline", targets: ["VitrinePipeline"]),
        .library(name: "VitrineHLS", targets: ["VitrineHLS"]),
        .library(name: "VitrineMedia", targets: ["VitrineMedia"]),
        .library(name: "VitrineJobs", targets: ["VitrineJobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // FFmpeg's C libraries, with a shim header for the macros Swift cannot import.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]
        ),
        // Pango + Cairo for drawing product cards.
        .systemLibrary(
            name: "CPangoCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]
        ),
        .target(
            name: "VitrineMedia",
            dependencies: ["CFFmpeg", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "VitrineHLS",
            dependencies: ["VitrineMedia", "CFFmpeg"],
            swiftSettings: strict
        ),
        .target(
            name: "VitrineOverlay",
            dependencies: ["CFFmpeg", "CPangoCairo"],
            swiftSettings: strict
        ),
        .target(
            name: "VitrineRTMP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "VitrinePipeline",
            dependencies: ["VitrineMedia", "VitrineHLS", "VitrineOverlay", "VitrineRTMP", "CFFmpeg", .product(name: "Logging", package: "swift-log")]
        ),
        // What a job process asks of the kernel that Swift cannot call (prctl is variadic).
        .target(name: "CJobProcess"),
        // Job processes: the typed protocol between a supervisor and the job process that runs one
        // job's media work, both ends of it, and the one order type file jobs run from.
        .target(
            name: "VitrineJobs",
            dependencies: ["VitrinePipeline", "VitrineHLS", "VitrineOverlay", "VitrineRTMP", "VitrineStore", "CJobProcess", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Job records and the batch queue: SQLite for one machine, PostgreSQL for many.
        .target(
            name: "VitrineStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // `vitrine batch`: many recordings through the file pipeline from a resumable JobStore queue.
        .target(
            name: "VitrineBatch",
            dependencies: ["VitrinePipeline", "VitrineJobs", "VitrineStore", "VitrineHLS", "VitrineMedia", "VitrineOverlay", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "VitrineServer",
            dependencies: [
                "VitrinePipeline", "VitrineJobs", "VitrineHLS", "VitrineStore", "VitrineRTMP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Console/console.html")]
        ),
        .executableTarget(
            name: "vitrine",
            dependencies: [
                "VitrineServer", "VitrinePipeline", "VitrineJobs", "VitrineStore", "VitrineBatch", "VitrineMedia", "VitrineHLS", "VitrineRTMP", "CFFmpeg",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "VitrineMediaTests", dependencies: ["VitrineMedia"]),
        .testTarget(name: "VitrineHLSTests", dependencies: ["VitrineHLS", "VitrineMedia"]),
        .testTarget(name: "VitrinePipelineTests", dependencies: ["VitrinePipeline"]),
        .testTarget(name: "VitrineServerTests", dependencies: [
            "VitrineServer", "VitrinePipeline", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "VitrineStoreTests", dependencies: ["VitrineStore"]),
        .testTarget(name: "VitrineBatchTests", dependencies: ["VitrineBatch", "VitrineStore", "VitrineJobs"]),
        .testTarget(name: "VitrineJobsTests", dependencies: ["VitrineJobs", "VitrinePipeline", "VitrineRTMP"], swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(name: "VitrineOverlayTests", dependencies: ["VitrineOverlay"]),
        .testTarget(name: "VitrineRTMPTests", dependencies: ["VitrineRTMP", .product(name: "Logging", package: "swift-log")]),
        .executableTarget(name: "OverlayBenchmark", dependencies: ["VitrineOverlay"], path: "Benchmarks/overlay-blend"),
        .testTarget(name: "EndToEndTests", dependencies: ["vitrine"]),
    ],
    swiftLanguageModes: [.v5]
)
