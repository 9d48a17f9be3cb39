import Testing
@testable import NNSpec

/// Reading `# expect-error:` annotations and matching them with reported errors, each difference
/// stated with what was expected and what was seen.
@Suite struct ExpectedErrorsTests {
    func error(_ line: Int?, _ message: String) -> Diagnostic {
        Diagnostic(.error, message, file: "test.yaml", mark: line.map { SourceMark(line: $0, column: 1) })
    }

    @Test func annotationsAreReadAtTheirLinesWhateverTheLineEnds() {
        let source = "nnspec: 1\ninput: [N]   # expect-error: needs a batch # expect-error:  and more \r\n# expect-error:x\r# expect-error: y\n"
        #expect(ExpectedErrors(source: source).byLine == [2: ["needs a batch", "and more"], 3: ["x"], 4: ["y"]])
    }

    @Test func eachAnnotationNeedsItsOwnErrorWhateverTheirOrder() {
        let expected = ExpectedErrors(source: "a\nb\nc\nline   # expect-error: fc # expect-error: out_features\n")
        let both = [error(4, "fc out_features must be positive"), error(4, "fc has no argument 'biass'")]
        #expect(expected.mismatches(both).isEmpty)
        #expect(expected.mismatches([error(4, "fc out_features must be positive")]) == [
            ExpectedErrors.Mismatch(line: 4, message: "expected an error containing \"out_features\" at line 4, but line 4 reported only: fc out_features must be positive"),
        ])
    }

    @Test func anErrorOnAnotherLineIsReportedOnceWithBothLines() {
        let expected = ExpectedErrors(source: "a\nb   # expect-error: in_features 5\n")
        #expect(expected.mismatches([error(4, "fc expects in_features 5 but receives 4 from input")]).map(\.description) == [
            "line 2: expected an error containing \"in_features 5\" at line 2, but it was reported at line 4: fc expects in_features 5 but receives 4 from input",
        ])
    }

    @Test func unexpectedErrorsAndWarningsAndOrder() {
        let expected = ExpectedErrors(source: "a\nb\nc\nd\ne\nf\ng\nh\ni   # expect-error: late\n")
        let diagnostics = [
            error(3, "early"), error(nil, "cannot read the file"),
            Diagnostic(.warning, "only a warning", file: "test.yaml", mark: SourceMark(line: 5, column: 1)),
        ]
        #expect(expected.mismatches(diagnostics).map(\.description) == [
            "line -: expected no error in the file as a whole, but saw: cannot read the file",
            "line 3: expected no error at line 3 (it has no # expect-error: annotation), but saw: early",
            "line 9: expected an error containing \"late\" at line 9, but no error was reported at line 9",
        ])
    }
}
