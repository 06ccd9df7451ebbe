// swift-tools-version:6.0
// libFuzzer targets over Vitrine's parsers. Built only by Scripts/fuzz.sh, with
// `--sanitize=fuzzer --sanitize=address`: each target defines LLVMFuzzerTestOneInput and
// libFuzzer supplies main (hence -parse-as-library), so a plain `swift build` here cannot link.
import PackageDescription

let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: name, dependencies: products.map { .product(name: $0, package: "Vitrine") },
                      swiftSettings: harness)
}

let package = Package(
    name: "VitrineFuzz",
    products: [
        .executable(name: "fuzz-rtmp-session", targets: ["FuzzRTMPSession"]),
        .executable(name: "fuzz-amf0", targets: ["FuzzAMF0"]),
        .executable(name: "fuzz-flv", targets: ["FuzzFLV"]),
        .executable(name: "fuzz-cards-json", targets: ["FuzzCardsJSON"]),
        .executable(name: "fuzz-origin-request", targets: ["FuzzOriginRequest"]),
        .executable(name: "fuzz-demux", targets: ["FuzzDemux"]),
        .executable(name: "fuzz-live-playlist", targets: ["FuzzLivePlaylist"]),
        .executable(name: "fuzz-child-messages", targets: ["FuzzChildMessages"]),
    ],
    dependencies: [.package(name: "Vitrine", path: "..")],
    targets: [
        fuzzTarget("FuzzRTMPSession", ["VitrineRTMP"]),
        fuzzTarget("FuzzAMF0", ["VitrineRTMP"]),
        fuzzTarget("FuzzFLV", ["VitrineRTMP"]),
        fuzzTarget("FuzzCardsJSON", ["VitrineOverlay"]),
        fuzzTarget("FuzzOriginRequest", ["VitrineServer"]),
        fuzzTarget("FuzzDemux", ["VitrinePipeline", "VitrineMedia", "VitrineHLS"]),
        fuzzTarget("FuzzLivePlaylist", ["VitrineHLS"]),
        fuzzTarget("FuzzChildMessages", ["VitrineJobs", "VitrinePipeline"]),
    ]
)
