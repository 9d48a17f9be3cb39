// swift-tools-version:6.0
import Foundation
import PackageDescription

/// libFuzzer targets over nnspec's input surfaces, one executable each. A package of its own, so the
/// main package's `swift build` and `swift test` never compile them; build and run them with
/// `Fuzz/run.sh` (`swift build -c release -Xswiftc -sanitize=fuzzer,address`, which links libFuzzer's
/// driver: a plain `swift build` here fails to link).

/// The main package is the folder above, and a path dependency's identity is its folder's name
/// (`nnspec`, `main`, a worktree's name …), which `.product(name:package:)` must spell.
let mainPackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: mainPackage) })
}

let package = Package(
    name: "nnspec-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        // Scratch files, input framing and checks shared by the targets.
        .target(name: "FuzzSupport", dependencies: [.product(name: "NNData", package: mainPackage)]),
        // The spec validator, the text and JSON diagnostic renderers and the summary table.
        fuzzTarget("FuzzSpec", ["NNSpec", "NNCatalogue"]),
        // The IDX reader, plain and gzip, whole and header-only, and its writer's round trip.
        fuzzTarget("FuzzIDX", ["NNData"]),
        // The CSV reader, plain and gzip, whole and header-only.
        fuzzTarget("FuzzCSV", ["NNData"]),
        // The safetensors reader and its writer's round trip.
        fuzzTarget("FuzzSafetensors", ["NN"]),
        // The checkpoint reader and restoring into a trainer.
        fuzzTarget("FuzzCheckpoint", ["NN", "NNCatalogue", "NNRun", "NNSpec"]),
    ]
)
