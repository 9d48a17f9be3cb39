import Foundation
import Testing

/// `nnspec sample` as the built binary, on a next-character model trained by `nnspec train` on the
/// spec corpus's tiny names text: samples, JSON, determinism, and the refusals with their exit statuses.
@Suite struct SampleCommandLineTests {
    let spec = "specs/valid/text-characters.yaml"

    @Test func samplesFromSavedWeights() throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "nnspec-sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appending(path: "w.safetensors").path
        let train = try NNSpecBinary.run(["train", spec, "--save", weights, "--quiet"])
        #expect(train.status == 0, "\(train.standardError)")

        let text = try NNSpecBinary.run(["sample", spec, "--weights", weights, "--count", "4", "--max-length", "6", "--seed", "3"])
        #expect(text.status == 0, "\(text.standardError)")
        let samples = text.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(samples.count == 4 && samples.allSatisfy { $0.count <= 6 && $0.allSatisfy { "abcdehilnors".contains($0) } })
        let again = try NNSpecBinary.run(["sample", spec, "--weights", weights, "--count", "4", "--max-length", "6", "--seed", "3"])
        #expect(again.standardOutput == text.standardOutput)

        let json = try NNSpecBinary.run(["sample", spec, "--weights", weights, "--count", "2", "--prompt", "be", "--temperature", "0",
                                         "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let greedy = try #require(object["samples"] as? [String])
        #expect(object["format"] as? String == "nnspec.sample/1" && greedy.count == 2 && greedy[0] == greedy[1] && greedy[0].hasPrefix("be"))

        let unknown = try NNSpecBinary.run(["sample", spec, "--weights", weights, "--prompt", "q"])
        #expect(unknown.status == 1 && unknown.standardError == "error: --prompt: the character q is not in the model's vocabulary\n")
        let notText = try NNSpecBinary.run(["sample", "specs/training/mlp-random-classes.yaml", "--weights", weights])
        #expect(notText.status == 1 && notText.standardError.hasPrefix("error: TinyMLP is not a next-character model"))
    }

    @Test func usageErrorsExit64() throws {
        let count = try NNSpecBinary.run(["sample", spec, "--weights", "w.safetensors", "--count", "0"])
        #expect(count.status == 64 && count.standardError.hasPrefix("Error: --count must be at least 1, got 0\n"))
        let temperature = try NNSpecBinary.run(["sample", spec, "--weights", "w.safetensors", "--temperature", "-1"])
        #expect(temperature.status == 64)
        let missing = try NNSpecBinary.run(["sample", spec, "--weights", "absent.safetensors"])
        #expect(missing.status == 1 && missing.standardError.hasPrefix("error: --weights absent.safetensors: "))
    }
}
