import Foundation
import Testing

/// `nnspec test` as a whole process: the built binary beside the test bundle, its whole output
/// and exit status.
@Suite struct RegressionCommandTests {
    /// The `nnspec` executable `swift build --build-tests` / `swift test` put beside the test bundle.
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "nnspec").path

    /// Runs `nnspec arguments` in the fixtures folder; returns its standard output and exit status.
    func nnspec(_ arguments: [String]) throws -> (output: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: regressionFixture(""))
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func failingSpecsAreListedWithTheirFailuresThenCounted() throws {
        let (output, status) = try nnspec(["test", "fail", "pass", "--filter", "error|parameter|wrong-line"])
        #expect(status == 1)
        #expect(output == """
            FAIL fail/annotation-on-wrong-line.yaml
              fail/annotation-on-wrong-line.yaml:2: expected an error containing "in_features 5" at line 2, but it was reported at line 4: fc expects in_features 5 but receives 4 from input
            FAIL fail/extra-unexpected-error.yaml
              fail/extra-unexpected-error.yaml:5: expected no error at line 5 (it has no # expect-error: annotation), but saw: out expects in_features 4 but receives 3 from fc
            FAIL fail/missing-expected-error.yaml
              fail/missing-expected-error.yaml:5: expected an error containing "out_features" at line 5, but no error was reported at line 5
            FAIL fail/wrong-parameter-count.yaml
              fail/wrong-parameter-count.yaml:6: expected 12 parameters but the network has 15
            PASS pass/two-errors-one-line.yaml
            1 passed, 4 failed

            """)
        let parallel = try nnspec(["test", "--jobs", "3", "fail", "pass", "--filter", "error|parameter|wrong-line"])
        #expect(parallel.output == output)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func passingSpecsExitZeroAndJSONCountsThem() throws {
        let (output, status) = try nnspec(["test", "pass/two-errors-one-line.yaml"])
        #expect(status == 0)
        #expect(output == "PASS pass/two-errors-one-line.yaml\n1 passed, 0 failed\n")
        let json = try nnspec(["test", "--format", "json", "pass/two-errors-one-line.yaml", "fail/wrong-parameter-count.yaml"])
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Int == 1)
        #expect(object?["failed"] as? Int == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable)))
    func noSpecFoundFails() throws {
        let (output, status) = try nnspec(["test", "pass", "--filter", "no-such-spec"])
        #expect(status == 1)
        #expect(output == "0 passed, 0 failed\n")
    }
}
