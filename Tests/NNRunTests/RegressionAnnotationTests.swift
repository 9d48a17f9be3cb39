import Testing
@testable import NNRun

/// Reading `# expect-error:` comments and matching them with reported errors.
@Suite struct RegressionAnnotationTests {
    typealias Reported = AnnotationCheck.ReportedError

    @Test func annotationsAreReadWithTheirLines() {
        let source = "nnspec: 1\ninput: [N]   # expect-error: needs a batch # expect-error:  and more \r\n# expect-error:x\n"
        #expect(ErrorAnnotation.annotations(in: source) == [
            ErrorAnnotation(line: 2, text: "needs a batch"),
            ErrorAnnotation(line: 2, text: "and more"),
            ErrorAnnotation(line: 3, text: "x"),
        ])
    }

    @Test func eachAnnotationNeedsItsOwnError() {
        let annotations = [ErrorAnnotation(line: 4, text: "fc"), ErrorAnnotation(line: 4, text: "out_features")]
        let errors = [Reported(line: 4, message: "fc out_features must be positive"), Reported(line: 4, message: "fc has no argument 'biass'")]
        #expect(AnnotationCheck.failures(expected: annotations, reported: errors).isEmpty)
        let oneError = [Reported(line: 4, message: "fc out_features must be positive")]
        #expect(AnnotationCheck.failures(expected: annotations, reported: oneError).map(\.message) == [
            "expected an error containing \"out_features\" at line 4, but line 4 reported only: fc out_features must be positive",
        ])
    }

    @Test func failuresComeInLineOrder() {
        let failures = AnnotationCheck.failures(
            expected: [ErrorAnnotation(line: 9, text: "late")],
            reported: [Reported(line: 3, message: "early"), Reported(line: nil, message: "the file")])
        #expect(failures.map(\.line) == [nil, 3, 9])
        #expect(failures.first?.message == "expected no error in the file (it has no # expect-error: annotation), but saw: the file")
    }
}
