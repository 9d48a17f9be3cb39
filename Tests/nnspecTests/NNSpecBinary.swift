import Foundation

/// Runs the built `nnspec` executable as a user would, capturing what it prints and its exit
/// status (swift-argument-parser's example tests do the same with their example binaries).
enum NNSpecBinary {
    /// What one run printed, and how it ended.
    struct Run {
        var standardOutput: String
        var standardError: String
        var status: Int32
    }

    struct NotBuilt: Error, CustomStringConvertible {
        var path: String
        var description: String { "no binary at \(path): build the package first (swift build)" }
    }

    /// The repository root, from this file's path (Tests/nnspecTests/NNSpecBinary.swift).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The specs these tests run on.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    /// The build products directory (`.build/<triple>/debug`), where SwiftPM puts the test bundle
    /// beside the `nnspec` executable: on macOS the `.xctest` bundle's parent, elsewhere the
    /// directory of the running test executable.
    static var productsDirectory: URL {
        #if os(macOS)
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        return Bundle.main.bundleURL
    }

    /// Runs `nnspec arguments…` (or another built executable of the package) in `directory` (the
    /// repository root by default), with `environment` added to this process's and `standardInput`
    /// on its standard input (none: an empty one).
    static func run(_ arguments: [String], in directory: URL = repositoryRoot, executable name: String = "nnspec",
                    environment added: [String: String] = [:], standardInput: Data = Data()) throws -> Run {
        let executable = productsDirectory.appending(path: name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { throw NotBuilt(path: executable.path) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(added) { _, new in new }
        process.environment = environment
        let output = Pipe(), error = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        // A spec is far smaller than a pipe's buffer, so writing before reading cannot block.
        input.fileHandleForWriting.write(standardInput)
        try input.fileHandleForWriting.close()
        // Read before waiting: a full pipe (the schema is larger than a pipe's buffer) would block the child.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            standardOutput: String(decoding: outputData, as: UTF8.self), standardError: String(decoding: errorData, as: UTF8.self),
            status: process.terminationStatus)
    }
}
