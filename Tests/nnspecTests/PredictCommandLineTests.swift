import Foundation
import Testing

/// `nnspec predict` and `nnspec eval` as the built binary: exit statuses and the whole summary
/// for weights trained by `nnspec train` on the shipped digits.
@Suite struct PredictCommandLineTests {
    let spec = "specs/training/digits-mlp.yaml"

    /// A scratch directory with the digits MLP's trained weights, removed by `body`'s end.
    private func withTrainedWeights(_ body: (_ directory: URL, _ weights: String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "nnspec-predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appending(path: "w.safetensors").path
        let train = try NNSpecBinary.run(["train", spec, "--save", weights, "--quiet"])
        #expect(train.status == 0, "\(train.standardError)")
        try body(directory, weights)
    }

    @Test func predictWritesTheFileAndSummarises() throws {
        try withTrainedWeights { directory, weights in
            let output = directory.appending(path: "p.npy").path
            let run = try NNSpecBinary.run(["predict", spec, "--weights", weights, "--input",
                                            "examples/data/digits/test-images-idx3-ubyte.gz", "--output", output])
            #expect(run.status == 0, "\(run.standardError)")
            let lines = run.standardOutput.split(separator: "\n")
            #expect(lines.first == "DigitsMLP: 360 samples of examples/data/digits/test-images-idx3-ubyte.gz, outputs [360, 10]")
            #expect(lines[1] == "predicted classes (class: samples):")
            #expect(lines.count == 13 && lines.last == "predictions written to \(output)")
            let counts = lines[2..<12].map { Int($0.split(separator: " ")[1])! }
            #expect(counts.reduce(0, +) == 360)
            #expect(run.standardError.isEmpty)
        }
    }

    @Test func evalPrintsJSON() throws {
        try withTrainedWeights { _, weights in
            let run = try NNSpecBinary.run(["eval", spec, "--weights", weights, "--format", "json"])
            #expect(run.status == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
            #expect(object["format"] as? String == "nnspec.eval/1" && object["samples"] as? Int == 360)
        }
    }

    /// predict and eval take their thread count as train does (the flag, then NNSPEC_THREADS, then
    /// the CPUs), and write the same predictions, bit for bit, on one thread and two.
    @Test func threadCountChangesNoPrediction() throws {
        try withTrainedWeights { directory, weights in
            func predictions(_ arguments: [String], environment: [String: String] = [:]) throws -> Data {
                let output = directory.appending(path: "p\(arguments.joined())\(environment.values.joined()).npy").path
                let run = try NNSpecBinary.run(["predict", spec, "--weights", weights, "--split", "test", "--output", output] + arguments,
                                               environment: environment)
                #expect(run.status == 0, "\(run.standardError)")
                return try Data(contentsOf: URL(fileURLWithPath: output))
            }
            let one = try predictions(["--threads", "1"])
            #expect(try predictions(["--threads", "2"]) == one)
            #expect(try predictions([], environment: ["NNSPEC_THREADS": "2"]) == one)
            let bad = try NNSpecBinary.run(["eval", spec, "--weights", weights], environment: ["NNSPEC_THREADS": "many"])
            #expect(bad.status == 64)
            #expect(bad.standardError.hasPrefix("Error: NNSPEC_THREADS must be 1 to 256, not 'many'\n"), "\(bad.standardError)")
        }
    }

    @Test func exitStatuses() throws {
        let usage = try NNSpecBinary.run(["predict", spec, "--weights", "w.safetensors"])
        #expect(usage.status == 64)
        #expect(usage.standardError.hasPrefix("Error: give either --input FILE or --split train|test\n"))
        let invalid = try NNSpecBinary.run(["eval", "specs/invalid/conv-in-channels.yaml", "--weights", "w.safetensors"])
        #expect(invalid.status == 1 && invalid.standardError.contains("error: conv1 expects in_channels 3"))
        let missing = try NNSpecBinary.run(["predict", spec, "--weights", "absent.safetensors", "--split", "test"])
        #expect(missing.status == 1 && missing.standardError.hasPrefix("error: --weights absent.safetensors: "))
    }
}
