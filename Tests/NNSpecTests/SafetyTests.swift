import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hostile spec files: escape sequences, FIFOs and devices as data, paths out of the spec's
/// tree, huge documents. Each gets a located error, quickly, and prints nothing a terminal acts on.
@Suite struct SafetyTests {
    /// A fresh directory tree for one test, removed afterwards.
    final class Tree {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("NNSpecSafety-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("project/specs"), withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: root) }
        func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
        @discardableResult
        func write(_ text: String, to relative: String) throws -> String {
            try Data(text.utf8).write(to: root.appendingPathComponent(relative))
            return path(relative)
        }
    }

    static func csvSpec(path: String) -> String {
        """
        nnspec: 1
        input: [N, 1]
        layers:
          - {type: Linear, in_features: 1, out_features: 2}
        loss: CrossEntropyLoss
        data:
          train: {source: csv, path: \(path)}

        """
    }

    // MARK: Terminal escapes

    @Test func controlCharactersInMessagesAreShownEscaped() {
        let result = validate("""
            nnspec: 1
            name: "Net\\e]0;PWNED\\a"
            input: [N, 4]
            layers:
              - {type: "Lin\\e]0;PWNED\\a\\e[2J", in_features: 4, out_features: 2}
            """)
        let text = DiagnosticTextRenderer(colored: false).render(result.diagnostics, source: result.source)
        #expect(text.contains("unknown layer type 'Lin\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J'"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func theCaretStaysUnderItsColumnAfterAnEscapedCharacter() {
        // Column 6 is the 'x' after "a", ESC, "b", tab; ESC is echoed as the 6 characters \u{1b}.
        let source = "a\u{1B}b\tcx = 1\n"
        let diagnostic = Diagnostic(
            .error, "here", file: "f.yaml", mark: SourceMark(line: 1, column: 6), endMark: SourceMark(line: 1, column: 8))
        let lines = DiagnosticTextRenderer(colored: false).render([diagnostic], source: source).split(separator: "\n")
        #expect(lines[1] == "a\\u{1b}b\tcx = 1")
        #expect(lines[2] == "        \t ^~")
        #expect(lines[1].distance(from: lines[1].startIndex, to: lines[1].firstIndex(of: "x")!) ==
            lines[2].distance(from: lines[2].startIndex, to: lines[2].firstIndex(of: "^")!))
    }

    @Test func rawControlBytesInTheSourceAreEchoedVisibly() {
        let result = validate("nnspec: 1\nname: a\u{1B}[2Jb\n")
        let text = DiagnosticTextRenderer(colored: false).render(result.diagnostics, source: result.source)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
        #expect(text.contains("name: a\\u{1b}[2Jb"))
    }

    @Test func theSummaryShowsTheNetworkNameEscaped() throws {
        // Layer names are identifiers; the network's name is free text.
        let result = validate("""
            nnspec: 1
            name: "Net\\e[2J\\a"
            input: [N, 4]
            layers:
              - {name: fc, type: Linear, in_features: 4, out_features: 2}
            """)
        let table = SummaryTable.render(try #require(result.spec))
        #expect(table.hasPrefix("Net\\u{1b}[2J\\u{7}\n"))
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test func aLineTooLongToEchoGivesTheMessageAlone() {
        let long = String(repeating: "x", count: DiagnosticTextRenderer.maximumEchoedLineLength + 1)
        let diagnostic = Diagnostic(.error, "here", file: "f.yaml", mark: SourceMark(line: 2, column: 3))
        let renderer = DiagnosticTextRenderer(colored: false)
        #expect(renderer.render([diagnostic], source: "a\n" + long + "\n") == "f.yaml:2:3: error: here\n")
        #expect(renderer.render([diagnostic], source: "a\n" + long.dropLast() + "\n") ==
            "f.yaml:2:3: error: here\n\(long.dropLast())\n  ^\n")
    }

    @Test func onlyTheQuotedLinesAreFound() {
        let source = "one\ntwo\n\nfour"
        #expect(DiagnosticTextRenderer.lines(numbered: [1, 3, 4, 9], in: source) == [1: "one", 3: "", 4: "four"])
        #expect(DiagnosticTextRenderer.lines(numbered: [2], in: "a\n") == [2: ""])
        #expect(DiagnosticTextRenderer.lines(numbered: [], in: source).isEmpty)
    }

    // MARK: Budgets

    @Test(.timeLimit(.minutes(1)))
    func aHugeFlowStyleSpecIsRefusedAtTheNodeBudget() {
        let layers = String(repeating: "  - {type: ReLU}\n", count: 80_000)
        let clock = ContinuousClock()
        var result: ValidationResult?
        let elapsed = clock.measure { result = validate("nnspec: 1\ninput: [N, 4]\nlayers:\n" + layers) }
        let diagnostic = result?.diagnostics.first
        #expect(diagnostic?.message == "the document has more than 200000 values; a spec is a page of text")
        // Node 200,001 is the `ReLU` of layer 66,664 (9 nodes before the layers, 3 a layer), on line 66,667.
        #expect(diagnostic?.mark?.line == 66_667)
        #expect(elapsed < .seconds(10))
    }

    @Test func moreLayersThanTheLimitAreRefusedAtTheFirstTooMany() {
        let layers = String(repeating: "  - ReLU\n", count: SpecValidator.maximumLayerCount + 5)
        let result = validate("nnspec: 1\ninput: [N, 4]\nlayers:\n" + layers)
        #expect(errorMessages(result) == ["the spec has 10,005 layers, more than the 10,000 nnspec checks and builds"])
        #expect(result.diagnostics.first?.mark?.line == 4 + SpecValidator.maximumLayerCount)
    }

    // MARK: Files that are not regular

    @Test(.timeLimit(.minutes(1)))
    func aFIFOAsDataOrAsTheSpecIsRefusedWithoutBlocking() throws {
        let tree = try Tree()
        #expect(mkfifo(tree.path("project/specs/fifo.csv"), 0o600) == 0)
        let spec = try tree.write(Self.csvSpec(path: "fifo.csv"), to: "project/specs/spec.yaml")
        #expect(errorMessages(SpecValidator.standard.validate(file: spec)) == ["fifo.csv: cannot read it: it is a FIFO, not a regular file"])
        #expect(mkfifo(tree.path("project/specs/fifo.yaml"), 0o600) == 0)
        #expect(errorMessages(SpecValidator.standard.validate(file: tree.path("project/specs/fifo.yaml"))) ==
            ["cannot read the spec: cannot read it: it is a FIFO, not a regular file"])
    }

    @Test(.timeLimit(.minutes(1)))
    func aDeviceAsDataIsRefusedWithoutReading() throws {
        let tree = try Tree()
        let spec = try tree.write(Self.csvSpec(path: "/dev/zero"), to: "project/specs/spec.yaml")
        #expect(errorMessages(SpecValidator.standard.validate(file: spec)) ==
            ["/dev/zero: cannot read it: it is a character device, not a regular file"])
    }

    // MARK: Paths out of the spec's tree

    @Test func dataOutsideTheSpecsTreeIsNotRead() throws {
        let tree = try Tree()
        try tree.write("API_KEY=sk-live-123456\n", to: "secret.txt")
        let spec = try tree.write(Self.csvSpec(path: "../../secret.txt"), to: "project/specs/spec.yaml")
        let confined = SpecValidator.standard.validate(file: spec, fileAccess: .belowWorkingOrSpecDirectory)
        #expect(errorMessages(confined) ==
            ["data train path ../../secret.txt lies outside the spec's directory and the working directory, so nnspec does not use it"])
        #expect(confined.diagnostics.first?.mark == SourceMark(line: 7, column: 30))
        #expect(!confined.diagnostics.contains { $0.message.contains("sk-live") })
        let allowed = SpecValidator.standard.validate(file: spec, fileAccess: .anywhere)
        #expect(!errorMessages(allowed).contains { $0.contains("outside") })
    }

    @Test func aSymbolicLinkOutOfTheTreeIsRefusedAndFilesInsideAreRead() throws {
        let tree = try Tree()
        try tree.write("1,0\n", to: "outside.csv")
        try tree.write("1,0\n", to: "project/specs/inside.csv")
        try FileManager.default.createSymbolicLink(atPath: tree.path("project/specs/link.csv"), withDestinationPath: tree.path("outside.csv"))
        let link = try tree.write(Self.csvSpec(path: "link.csv"), to: "project/specs/link.yaml")
        #expect(errorMessages(SpecValidator.standard.validate(file: link, fileAccess: .belowWorkingOrSpecDirectory)).first?
            .hasPrefix("data train path link.csv lies outside") == true)
        let inside = try tree.write(Self.csvSpec(path: "./inside.csv"), to: "project/specs/inside.yaml")
        #expect(SpecValidator.standard.validate(file: inside, fileAccess: .belowWorkingOrSpecDirectory).isValid)
    }

    @Test func goldenAndInitPathsAreConfinedToo() throws {
        let tree = try Tree()
        let spec = try tree.write("""
            nnspec: 1
            input: [N, 4]
            layers:
              - {type: Linear, in_features: 4, out_features: 2}
            loss: MSELoss
            data:
              train: {source: random, samples: 4}
            expect:
              train: {steps: 1, init: ../weights.safetensors}
              golden: \(tree.path("elsewhere.golden.json"))

            """, to: "project/specs/spec.yaml")
        let messages = errorMessages(SpecValidator.standard.validate(file: spec, fileAccess: .belowWorkingOrSpecDirectory))
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.contains("lies outside the spec's directory and the working directory") })
        #expect(messages.first?.hasPrefix("expect train init ../weights.safetensors") == true)
        let recorded = try tree.write(
            try String(contentsOfFile: spec, encoding: .utf8)
                .replacingOccurrences(of: tree.path("elsewhere.golden.json"), with: "goldens/new.golden.json")
                .replacingOccurrences(of: "init: ../weights.safetensors", with: "init: w.safetensors"),
            to: "project/specs/inside.yaml")
        #expect(SpecValidator.standard.validate(file: recorded, fileAccess: .belowWorkingOrSpecDirectory).isValid)
    }
}
