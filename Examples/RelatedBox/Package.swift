// swift-tools-version: 6.0
import PackageDescription

/// A Swift package that uses SeeAlso as a library, the way a CMS integration would: it depends on the
/// SeeAlso package by path and imports only its `SeeAlso` product (the `SeeAlsoEngine` façade).
let package = Package(
    name: "RelatedBox",
    dependencies: [
        .package(name: "SeeAlso", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "related-box",
            dependencies: [.product(name: "SeeAlso", package: "SeeAlso")],
            path: "Sources"
        ),
    ]
)
