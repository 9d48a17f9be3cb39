import Foundation
import NNData

/// Tests one spec in a child process, so that a spec which crashes nnspec (a trap, a signal) fails
/// alone, as one result, instead of ending the whole run.
///
/// The child is `executable arguments… SPEC`; it prints the spec's `SpecTestResult` as JSON on
/// standard output (`nnspec test --child SPEC`). A child that dies by a signal, exits without a
/// result, or prints something else gives a failed result naming what happened.
public struct ChildSpecProcess: Sendable {
    public var executable: String
    /// The arguments before the spec's path.
    public var arguments: [String]

    public init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// The result of testing the spec at `path` in a new child process.
    public func test(specAt path: String) -> SpecTestResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + [path]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return failed(path, "expected to start \(executable) for it, but \(error.localizedDescription)")
        }
        // Standard error is read on another thread: a child filling one pipe must not wait on the other.
        let errorText = ErrorText()
        let readingError = DispatchGroup()
        DispatchQueue.global().async(group: readingError) {
            errorText.set(String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        readingError.wait()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            return failed(path, "expected its test to finish, but nnspec stopped on signal \(process.terminationStatus)"
                + (errorText.lastLine.map { " (\($0))" } ?? ""))
        }
        guard let result = try? JSONDecoder().decode(SpecTestResult.self, from: data), result.path == path else {
            return failed(path, "expected a test result, but nnspec exited with status \(process.terminationStatus) without one"
                + (errorText.lastLine.map { " (\($0))" } ?? ""))
        }
        return result
    }

    private func failed(_ path: String, _ message: String) -> SpecTestResult {
        SpecTestResult(path: path, failures: [ExpectationFailure(line: nil, message)])
    }

    /// The child's standard error, written by the reading thread and read after it is done.
    private final class ErrorText: @unchecked Sendable {
        private var text = ""
        func set(_ text: String) { self.text = text }
        /// The last non-empty line, its control characters escaped (a crash's "Fatal error: …").
        var lastLine: String? {
            text.split(separator: "\n").last { !$0.allSatisfy(\.isWhitespace) }.map { VisibleText.escaped($0) }
        }
    }
}
