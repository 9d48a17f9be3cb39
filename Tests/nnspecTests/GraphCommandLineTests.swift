import Foundation
import Testing

/// `nnspec graph` as the built binary: SVG and DOT to standard output or a file, the spec from
/// standard input, located diagnostics for an invalid spec, and the generated-file policy.
@Suite struct GraphCommandLineTests {
    /// A fresh directory, removed afterwards.
    final class Scratch {
        let root = FileManager.default.temporaryDirectory.appending(path: "nnspec-graph-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: root) }
        func path(_ name: String) -> String { root.appending(path: name).path }
        func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
    }

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: NNSpecBinary.repositoryRoot.appending(path: "Tests/NNRunTests/Fixtures/graph/\(name).dot"), encoding: .utf8)
    }

    @Test func svgGoesToStandardOutput() throws {
        let run = try NNSpecBinary.run(["graph", "examples/resnet18.yaml"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        let parsed = try XMLParsed(run.standardOutput)
        #expect(parsed.elements.first == "svg")
        #expect(parsed.elements.filter { $0 == "g" }.count == 70, "the input and resnet18's 69 layers")
        #expect(parsed.elements.filter { $0 == "rect" }.count == 70 + 15, "and its 4 stages, 8 blocks and 3 shortcuts")
    }

    @Test func dotFromAFileAndFromStandardInput() throws {
        let file = try NNSpecBinary.run(["graph", "specs/valid/concat-reshape.yaml", "--format", "dot"])
        #expect(file.status == 0, "\(file.standardError)")
        #expect(file.standardOutput == (try Self.golden("concat-reshape")))
        let text = try Data(contentsOf: NNSpecBinary.repositoryRoot.appending(path: "specs/valid/concat-reshape.yaml"))
        let piped = try NNSpecBinary.run(["graph", "-", "--format", "dot"], standardInput: text)
        #expect(piped.status == 0, "\(piped.standardError)")
        #expect(piped.standardOutput == file.standardOutput)
    }

    /// --output picks the format from the name, replaces its own file, and leaves anyone else's
    /// alone unless --force.
    @Test func outputReplacesOnlyItsOwnFile() throws {
        let scratch = try Scratch()
        let dot = scratch.path("net.dot")
        let first = try NNSpecBinary.run(["graph", "examples/resnet.yaml", "--output", dot])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput == "diagram written to \(dot)\n")
        #expect(try scratch.read("net.dot") == (try Self.golden("resnet")))
        #expect(try NNSpecBinary.run(["graph", "examples/resnet.yaml", "--output", dot, "--depth", "1"]).status == 0)

        let svg = scratch.path("mine.svg")
        try Data("<svg>my drawing</svg>".utf8).write(to: URL(fileURLWithPath: svg))
        let refused = try NNSpecBinary.run(["graph", "examples/lenet.yaml", "--output", svg])
        #expect(refused.status == 1)
        #expect(refused.standardError == "error: --output cannot replace \(svg): the file exists and was not written by nnspec, so it is left alone (--force replaces it)\n")
        #expect(try scratch.read("mine.svg") == "<svg>my drawing</svg>")
        let forced = try NNSpecBinary.run(["graph", "examples/lenet.yaml", "--output", svg, "--force"])
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try XMLParsed(try scratch.read("mine.svg")).elements.first == "svg")

        let missing = try NNSpecBinary.run(["graph", "examples/lenet.yaml", "--output", scratch.path("absent/net.svg")])
        #expect(missing.status == 1)
        #expect(missing.standardError.hasPrefix("error: --output "))
    }

    /// An invalid spec: its located diagnostics, exit 1, nothing drawn and no file written.
    @Test func invalidSpecPrintsItsDiagnostics() throws {
        let scratch = try Scratch()
        let run = try NNSpecBinary.run(["graph", "two-errors.yaml", "--output", scratch.path("net.svg")], in: NNSpecBinary.fixtures)
        #expect(run.status == 1)
        #expect(run.standardOutput.isEmpty)
        #expect(run.standardError.hasPrefix("two-errors.yaml:7:43: error: fc expects in_features 3136 but receives 2704"))
        #expect(run.standardError.contains("two-errors.yaml:8:43: error: SGD nesterov needs momentum > 0"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("net.svg")))
        let absent = try NNSpecBinary.run(["graph", "absent.yaml"])
        #expect(absent.status == 1)
        #expect(absent.standardError.hasPrefix("absent.yaml: error: "), "\(absent.standardError)")
    }

    @Test(arguments: [
        (["graph", "examples/lenet.yaml", "--depth", "0"], "Error: --depth must be at least 1, not 0"),
        (["graph", "examples/lenet.yaml", "--format", "dot", "--output", "net.svg"], "Error: --format dot contradicts --output net.svg, whose name asks for svg"),
        (["graph", "examples/lenet.yaml", "--format", "png"], "Error: The value 'png' is invalid for '--format <format>'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let run = try NNSpecBinary.run(arguments)
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix(message), "\(run.standardError)")
        #expect(run.standardError.contains("Usage: nnspec graph"))
    }
}
