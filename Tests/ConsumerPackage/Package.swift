// swift-tools-version:6.0
import PackageDescription

/// Another package that uses nnspec's library products, as docs/testing.md shows: `check.sh` builds
/// and runs it against nnspec fetched from a URL, as a published package is, which is where SwiftPM
/// refuses a product with unsafe build flags.
///
/// NNSPEC_PACKAGE_URL: where nnspec is fetched from (check.sh sets the file:// URL of a tagged copy
/// of the working tree). Without it, nnspec is the repository two folders up, by path.
let fetchURL = Context.environment["NNSPEC_PACKAGE_URL"]

/// The package identity `.product(name:package:)` spells: the last part of the URL, or of the path.
let nnspecIdentity: String = {
    let location = fetchURL ?? Context.packageDirectory.split(separator: "/").dropLast(2).joined(separator: "/")
    let last = location.split(separator: "/").last.map(String.init) ?? "nnspec"
    return last.hasSuffix(".git") ? String(last.dropLast(4)) : last
}()

func nnspecProduct(_ name: String) -> Target.Dependency {
    .product(name: name, package: nnspecIdentity)
}

let package = Package(
    name: "nnspec-consumer",
    platforms: [.macOS(.v13)],
    dependencies: [fetchURL.map { .package(url: $0, from: "0.0.0") } ?? .package(path: "../..")],
    targets: [
        // Validates a spec (NNSpec), builds its network and runs one training step (NNRun, NN).
        .executableTarget(name: "ConsumerCheck", dependencies: ["NNSpec", "NNCatalogue", "NN", "NNRun"].map(nnspecProduct)),
        // The regression runner over specs/ (docs/testing.md's example).
        .testTarget(name: "ConsumerSpecTests", dependencies: [nnspecProduct("NNRun")]),
    ]
)
