import Foundation
import Testing

/// `nnspec train` as the built binary: the tutorial through the real command line, and Ctrl-C
/// delivered as a real SIGINT (finish the step, write a checkpoint, exit 130).
@Suite struct TrainCommandLineTests {
    @Test func tutorialRunsThroughTheCommandLine() throws {
        let run = try NNSpecBinary.run(["train", "examples/lenet.yaml", "--show-grad", "conv1.bias"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "Net(")
        #expect(lines.contains("10 parameter tensors, 61,706 parameters"))
        #expect(lines.contains("output : [1, 10]"))
        let before = try #require(lines.firstIndex(of: "conv1.bias.grad before backward"))
        #expect(lines[before + 1] == "None")
        #expect(lines[before + 2] == "conv1.bias.grad after backward")
        #expect(lines[before + 3].hasPrefix("tensor(["))
        #expect(lines.contains { $0.hasPrefix("final loss ") })
    }

    /// Option values out of their range are usage errors: exit 64, ArgumentParser's message naming
    /// the option, the usage line, and nothing trained.
    @Test(arguments: [
        (["--batch-size", "0"], "--batch-size must be at least 1, got 0"),
        (["--epochs", "0"], "--epochs must be at least 1, got 0"),
        (["--steps=-2"], "--steps must be at least 1, got -2"),
        (["--lr=-0.1"], "--lr must be a positive number, got -0.1"),
        (["--checkpoint-every", "5"], "--checkpoint-every needs --checkpoint-dir (or --resume) to say where checkpoints go"),
        (["--strip-prefix", "module."], "--strip-prefix applies to the names of --init's file; give --init too"),
    ])
    func outOfRangeOptionIsAUsageError(arguments: [String], message: String) throws {
        let run = try NNSpecBinary.run(["train", "examples/lenet.yaml"] + arguments)
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("Error: \(message)\nUsage: nnspec train"), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }

    @Test func sigintFinishesTheStepWritesACheckpointAndExits130() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "nnspec-sigint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = NNSpecBinary.productsDirectory.appending(path: "nnspec")
        // Enough steps that the run is still going when the signal arrives.
        process.arguments = ["train", "examples/digits.yaml", "--batch-size", "4", "--checkpoint-dir", directory.path]
        process.currentDirectoryURL = NNSpecBinary.repositoryRoot
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // The handler is installed before the introduction is printed: wait for its last line.
        var printed = Data()
        while !String(decoding: printed, as: UTF8.self).contains("training: ") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            printed.append(chunk)
        }
        kill(process.processIdentifier, SIGINT)
        printed.append(output.fileHandleForReading.readDataToEndOfFile())
        let errorText = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let text = String(decoding: printed, as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(text)\n\(errorText)")
        #expect(errorText.contains("interrupted: finishing this step and writing a checkpoint"))
        #expect(text.contains("checkpoint at step "))
        #expect(text.contains("interrupted after step "))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files == ["checkpoint.safetensors"])
    }
}
