// swift-tools-version:6.0
import PackageDescription

/// Kernels must compile to the build machine's vector FMA: without a CPU flag a SIMD FMA becomes a
/// call to the scalar `fmaf`, one element at a time. Users build from source, so `-march=native`
/// picks the instructions of the machine that runs the code, on x86-64 and arm64 alike.
let nativeCPU: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=native"]),
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

/// The numeric core (kernels, autograd, layers) is optimised in debug builds too: unoptimised
/// convolutions are about 100× slower, which would keep `swift test` from training the corpus's
/// real-data specs. Everything else stays debuggable.
let numericCore: [SwiftSetting] = nativeCPU + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "nnspec",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nnspec", targets: ["nnspec"]),
        .library(name: "NNSpec", targets: ["NNSpec"]),
        .library(name: "NN", targets: ["NN"]),
        // For the fuzz targets in Fuzz/ (a package of their own): the data readers and the checkpoint reader.
        .library(name: "NNData", targets: ["NNData"]),
        .library(name: "NNRun", targets: ["NNRun"]),
        .library(name: "NNCatalogue", targets: ["NNCatalogue"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        // Storage, shapes, RNG and CPU kernels: plain functions over buffers, no graph.
        .target(name: "NNTensor", swiftSettings: numericCore),
        // Autograd, modules, losses, optimizers, schedulers, initialisers, safetensors.
        .target(name: "NN", dependencies: ["NNTensor"], swiftSettings: numericCore),
        // YAML → typed spec with source marks; shape inference; diagnostics. No tensors.
        .target(name: "NNSpec", dependencies: ["Yams", "NNData"]),
        // The system zlib, for gzip-compressed data files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // Data file formats (IDX, CSV; plain or gzip): readers with header-only variants. No tensors.
        .target(name: "NNData", dependencies: ["CZlib"]),
        // Every layer, loss, optimizer and scheduler type: its spec definition and the NN object it builds.
        .target(name: "NNCatalogue", dependencies: ["NN", "NNSpec", "NNTensor"]),
        // ONNX's protobuf schema as Swift, generated once by tools/generate_onnx_proto.sh and committed.
        .target(name: "ONNXSchema", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Builder (spec → modules), data sources, trainer, regression-test runner, export (PyTorch, ONNX).
        .target(
            name: "NNRun",
            dependencies: [
                "NN", "NNTensor", "NNSpec", "NNData", "NNCatalogue", "ONNXSchema",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: nativeCPU),
        // The command line: one file per subcommand.
        .executableTarget(
            name: "nnspec",
            dependencies: [
                "NNRun", "NN", "NNTensor", "NNSpec", "NNCatalogue", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Counts heap allocations by replacing malloc and its relatives (Linux/glibc; elsewhere inert).
        // Linked only into StepAllocations, never into nnspec or a library.
        .target(name: "CAllocationCounter"),
        // Counts the allocations of steady-state training steps (planned and autograd) of a spec.
        .executableTarget(name: "StepAllocations", dependencies: ["CAllocationCounter", "NNRun", "NNTensor", "NNSpec", "NNCatalogue"]),
        .testTarget(name: "NNTensorTests", dependencies: ["NNTensor"], swiftSettings: nativeCPU),
        .testTarget(name: "NNTests", dependencies: ["NN", "NNTensor"], swiftSettings: nativeCPU),
        .testTarget(name: "NNSpecTests", dependencies: ["NNSpec", "NNCatalogue"]),
        .testTarget(name: "NNDataTests", dependencies: ["NNData"]),
        // Runs the built `nnspec` and `StepAllocations` binaries (the dependencies build them first);
        // Fixtures/ holds the specs the nnspec tests run.
        .testTarget(name: "nnspecTests", dependencies: ["nnspec", "StepAllocations"], exclude: ["Fixtures"]),
        // Fixtures/ holds reference text the tests read by path (not bundle resources).
        .testTarget(
            name: "NNRunTests",
            dependencies: [
                "NNRun", "NN", "NNTensor", "NNSpec", "NNData", "NNCatalogue", "ONNXSchema",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Fixtures"]),
    ]
)
