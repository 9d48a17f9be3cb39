import Foundation
import NNCatalogue
import Testing
@testable import NNSpec

/// The spec corpus: every invalid spec reports errors at exactly its annotated lines, every valid
/// spec and example validates and meets its static `expect:` block.
@Suite struct CorpusTests {
    static func specs(in directory: String) -> [String] {
        let url = repositoryRoot.appending(path: directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { url.appending(path: $0).path }
    }

    @Test func theInvalidCorpusCoversEveryRule() {
        #expect(Self.specs(in: "specs/invalid").count >= 40)
    }

    @Test(arguments: specs(in: "specs/invalid"))
    func invalidSpecReportsExactlyTheAnnotatedErrors(path: String) throws {
        let expected = ExpectedErrors(source: try String(contentsOfFile: path, encoding: .utf8))
        #expect(!expected.isEmpty, "no # expect-error annotation in \(path)")
        let result = SpecValidator.standard.validate(file: path)
        #expect(!result.isValid)
        #expect(expected.mismatches(result.diagnostics) == [], "\(path)")
    }

    @Test func annotationMismatchesAreFound() {
        let source = "nnspec: 1\ninput: [N, 4]   # expect-error: input\nlayers: [Relu]   # expect-error: A # expect-error: B\n"
        let expected = ExpectedErrors(source: source)
        #expect(expected.byLine == [2: ["input"], 3: ["A", "B"]])
        #expect(
            expected.mismatches(validate(source).diagnostics).map(\.description) == [
                "line 2: expected an error containing \"input\" at line 2, but no error was reported at line 2",
                "line 3: expected an error containing \"A\" at line 3, but line 3 reported only: unknown layer type 'Relu'",
                "line 3: expected an error containing \"B\" at line 3, but line 3 reported only: unknown layer type 'Relu'",
                "line 3: expected only the annotated errors at line 3, but saw: unknown layer type 'Relu'",
            ])
    }

    /// Columns, checked for a subset: the caret must stand on the offending value.
    @Test(arguments: [
        ("linear-in-features.yaml", 12, 44),
        ("unknown-argument.yaml", 5, 11),
        ("unknown-argument.yaml", 8, 5),
        ("unknown-top-level-key.yaml", 5, 1),
        ("expression-not-whole.yaml", 4, 70),
        ("conv-in-channels.yaml", 4, 46),
        ("yaml-tag.yaml", 2, 7),
        ("billion-laughs.yaml", 10, 10),
        ("input-symbolic-inner.yaml", 2, 12),
        ("optimizer-betas.yaml", 5, 38),
        ("data-idx-needs-pad.yaml", 10, 13),
        ("add-shapes.yaml", 6, 23),
        ("from-unknown.yaml", 6, 38),
        ("duplicate-layer-name.yaml", 5, 12),
        ("many-errors.yaml", 5, 90),
        ("many-errors.yaml", 6, 12),
    ])
    func errorColumnsPointAtTheValue(file: String, line: Int, column: Int) {
        let result = SpecValidator.standard.validate(file: repositoryRoot.appending(path: "specs/invalid/\(file)").path)
        let marks = result.diagnostics.compactMap(\.mark)
        #expect(marks.contains(SourceMark(line: line, column: column)), "\(file): \(marks)")
    }

    /// Valid specs validate without a diagnostic; an example may warn (examples/mnist.yaml names
    /// MNIST files the user downloads) but has no error.
    @Test(arguments: specs(in: "specs/valid") + specs(in: "examples"))
    func validSpecMeetsItsStaticExpectations(path: String) throws {
        let result = SpecValidator.standard.validate(file: path)
        let mayWarn = path.contains("/examples/")
        let unexpected = result.diagnostics.filter { !mayWarn || $0.severity == .error }
        #expect(unexpected.isEmpty, "\(path): \(unexpected.map(\.message))")
        let spec = try #require(result.spec)
        #expect(spec.expect.parameters != nil, "\(path) has no expect: parameters")
        #expect(spec.expect.output != nil, "\(path) has no expect: output")
        let failures = spec.staticExpectationFailures(file: path)
        #expect(failures.isEmpty, "\(path): \(failures.map(\.message))")
    }

    @Test func aWrongExpectationIsReportedAtItsLine() throws {
        let result = validate(
            """
            nnspec: 1
            input: [N, 4]
            layers:
              - {name: fc, type: Linear, in_features: 4, out_features: 2}
            expect:
              parameters: 11
              output: [N, 3]
              named_parameters:
                fc.weight: [4, 2]
                fc.scale: [2]
            """)
        let spec = try #require(result.spec)
        let failures = spec.staticExpectationFailures(file: "test.yaml")
        #expect(
            failures.map { "\($0.mark?.line ?? 0): \($0.message)" } == [
                "6: expected 11 parameters but the network has 10",
                "7: expected output [N, 3] but the network output is [N, 2]",
                "9: expected fc.weight of shape [4, 2] but it is [2, 4]",
                "10: expected a parameter 'fc.scale' but the network has none by that name",
            ])
    }
}
