// swift-tools-version: 6.0
import PackageDescription

/// SeeAlso: related-story lists and topic/story clustering for news archives.
///
/// Module graph (each depends only on modules above it):
///   Support, BLAS
///   Corpus (Support) · Text (Support)                  — side by side: the analyzer works on strings
///   Vectorize (Corpus, Text)                            — TF-IDF, CSR
///   Similarity (Vectorize, BLAS)                        — SimilarityIndex (exact, partitioned), kernels, LSA, k-means
///   Clustering (Similarity) · Index (Similarity, Corpus, Text)
///   SeeAlso (all of the above)                          — the façade, the library product users import
///   SeeAlsoServer (SeeAlso, Hummingbird, Prometheus, Crypto) — `seealso serve`: the HTTP/JSON service
///   seealso (SeeAlso, SeeAlsoServer, Synth)             — the thin CLI
/// Every BLAS/LAPACK call goes through `SeeAlsoBLAS`, every POSIX call through `SeeAlsoSupport/System.swift`;
/// zlib is called only by `SeeAlsoCorpus` (ByteSource, ByteSink) and `SeeAlsoSupport` (CRC-32 in MappedFile.swift);
/// `CPrefetch` (a header, no library) gives `SeeAlsoText` a software-prefetch hint.
let package = Package(
    name: "SeeAlso",
    products: [
        .executable(name: "seealso", targets: ["seealso"]),
        .library(name: "SeeAlso", targets: ["SeeAlso"]),
        .library(name: "SeeAlsoCorpus", targets: ["SeeAlsoCorpus"]),
        .library(name: "SeeAlsoText", targets: ["SeeAlsoText"]),
        .library(name: "SeeAlsoVectorize", targets: ["SeeAlsoVectorize"]),
        .library(name: "SeeAlsoSimilarity", targets: ["SeeAlsoSimilarity"]),
        .library(name: "SeeAlsoIndex", targets: ["SeeAlsoIndex"]),
        .library(name: "SeeAlsoClustering", targets: ["SeeAlsoClustering"]),
        .library(name: "SeeAlsoBLAS", targets: ["SeeAlsoBLAS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only SeeAlsoServer (and its tests) use these; the SeeAlso library product does not.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // A header-only module for the one hint Swift cannot express: a software prefetch (see TermDictionary).
        .systemLibrary(name: "CPrefetch"),
        .target(name: "SeeAlsoSupport", dependencies: ["CZlib"]),
        .target(name: "SeeAlsoBLAS", dependencies: ["COpenBLAS"]),
        .target(name: "SeeAlsoCorpus", dependencies: ["CZlib", "SeeAlsoSupport"]),
        // Language resources are data in the top-level Models/ folder, found at run time (see ModelsDirectory).
        .target(name: "SeeAlsoText", dependencies: ["SeeAlsoSupport", "CPrefetch"]),
        .target(name: "SeeAlsoVectorize", dependencies: ["SeeAlsoCorpus", "SeeAlsoText", "SeeAlsoSupport"]),
        .target(name: "SeeAlsoSynth", dependencies: ["SeeAlsoCorpus", "SeeAlsoSupport"]),
        .target(name: "SeeAlsoSimilarity", dependencies: ["SeeAlsoVectorize", "SeeAlsoBLAS", "SeeAlsoSupport"]),
        .target(name: "SeeAlsoClustering", dependencies: ["SeeAlsoSimilarity", "SeeAlsoVectorize", "SeeAlsoSupport"]),
        .target(name: "SeeAlsoIndex", dependencies: ["SeeAlsoSimilarity", "SeeAlsoVectorize", "SeeAlsoCorpus", "SeeAlsoText", "SeeAlsoSupport"]),
        .target(name: "SeeAlso", dependencies: ["SeeAlsoCorpus", "SeeAlsoText", "SeeAlsoVectorize", "SeeAlsoSimilarity",
                                                "SeeAlsoClustering", "SeeAlsoIndex", "SeeAlsoSupport"]),
        // The HTTP service: routes, API keys, group commit, live reload, metrics. Its own target so that
        // the SeeAlso library carries no server dependency; the `seealso` executable links it (`serve`, `keys`).
        .target(
            name: "SeeAlsoServer",
            dependencies: [
                "SeeAlso", "SeeAlsoSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.embedInCode("openapi.json")]
        ),
        .executableTarget(
            name: "seealso",
            dependencies: [
                "SeeAlso", "SeeAlsoServer", "SeeAlsoSynth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Kernel benchmarks against the machine's limits, beside the rest of the benchmark code.
        .executableTarget(
            name: "seealso-kernels",
            dependencies: ["SeeAlso", "SeeAlsoSimilarity", "SeeAlsoVectorize", "SeeAlsoBLAS", "SeeAlsoSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/Kernels"
        ),
        // What the test targets share: temporary directories, seeded test data, generated articles, brute-force
        // oracles, worker-count helpers and the `seealso` executable.
        .target(
            name: "SeeAlsoTestSupport",
            dependencies: ["SeeAlsoSupport", "SeeAlsoCorpus", "SeeAlsoVectorize", "SeeAlsoSimilarity"],
            path: "Tests/SeeAlsoTestSupport"
        ),
        .testTarget(name: "SeeAlsoBLASTests", dependencies: ["SeeAlsoBLAS", "SeeAlsoSupport"]),
        .testTarget(name: "SeeAlsoCorpusTests", dependencies: ["SeeAlsoCorpus", "SeeAlsoTestSupport"]),
        .testTarget(name: "SeeAlsoTextTests", dependencies: ["SeeAlsoText"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SeeAlsoClusteringTests", dependencies: ["SeeAlsoClustering", "SeeAlsoTestSupport"]),
        .testTarget(name: "SeeAlsoIndexTests", dependencies: ["SeeAlsoIndex", "SeeAlsoTestSupport"]),
        .testTarget(name: "SeeAlsoSimilarityTests", dependencies: ["SeeAlsoSimilarity", "SeeAlsoTestSupport"]),
        .testTarget(name: "SeeAlsoVectorizeTests", dependencies: ["SeeAlsoVectorize", "SeeAlsoTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SeeAlsoSynthTests", dependencies: ["SeeAlsoSynth", "SeeAlsoCorpus", "SeeAlsoTestSupport"]),
        // The façade (`SeeAlsoEngine`) end to end: build, add, related, cluster, evaluate, bad input.
        .testTarget(name: "SeeAlsoTests", dependencies: ["SeeAlso", "SeeAlsoTestSupport"]),
        // The service over a real loopback port: every endpoint, keys, live reload, CLI parity.
        .testTarget(name: "SeeAlsoServerTests", dependencies: ["SeeAlsoServer", "SeeAlsoTestSupport",
                                                               .product(name: "HummingbirdTesting", package: "hummingbird")]),
    ]
)

// libFuzzer targets (Fuzz/), declared only when SEEALSO_FUZZ is set: they link only with
// `-sanitize=fuzzer`, so a plain `swift build` must not see them. Built and run by `scripts/fuzz`.
if Context.environment["SEEALSO_FUZZ"] != nil {
    package.targets += [
        .target(name: "SeeAlsoFuzzSupport", dependencies: ["SeeAlsoTestSupport"], path: "Fuzz/Support"),
        .executableTarget(name: "fuzz-jsonl", dependencies: ["SeeAlsoFuzzSupport", "SeeAlsoCorpus", "SeeAlsoTestSupport"],
                          path: "Fuzz/JSONLines"),
        .executableTarget(name: "fuzz-csv", dependencies: ["SeeAlsoFuzzSupport", "SeeAlsoCorpus", "SeeAlsoTestSupport"],
                          path: "Fuzz/CSV"),
        .executableTarget(name: "fuzz-folder", dependencies: ["SeeAlsoFuzzSupport", "SeeAlsoCorpus", "SeeAlsoTestSupport"],
                          path: "Fuzz/Folder"),
        .executableTarget(name: "fuzz-index", dependencies: ["SeeAlsoFuzzSupport", "SeeAlso", "SeeAlsoTestSupport"],
                          path: "Fuzz/Index"),
    ]
}
