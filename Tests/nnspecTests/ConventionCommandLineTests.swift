import Foundation
import Testing

/// The command line's conventions: `--version`, usage errors exiting 64, `-` for standard input,
/// the thread count's defaults, one versioned JSON document per command whatever the outcome,
/// JUnit XML, and `--init`'s hints (docs/json-output.md, docs/spec-format.md "Command line").
@Suite struct ConventionCommandLineTests {
    /// A fresh directory, removed afterwards.
    final class Scratch {
        let root = FileManager.default.temporaryDirectory.appending(path: "nnspec-conventions-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: root) }
        func write(_ data: Data, to name: String) throws { try data.write(to: root.appending(path: name)) }
        func read(_ name: String) throws -> String { try String(contentsOf: root.appending(path: name), encoding: .utf8) }
    }

    /// A two-layer network on random data: trains in milliseconds.
    static let tinySpec = """
        nnspec: 1
        input: [N, 4]
        layers:
          - {name: fc, type: Linear, in_features: 4, out_features: 3}
        loss: CrossEntropyLoss
        optimizer: SGD
        data: {batch_size: 2, train: {source: random, samples: 4, classes: 3}}

        """

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func versionIsPrintedAndCarriedByJSON() throws {
        let run = try NNSpecBinary.run(["--version"])
        #expect(run.status == 0)
        let version = run.standardOutput.trimmingCharacters(in: .newlines)
        #expect(version.wholeMatch(of: /\d+\.\d+\.\d+/) != nil, "\(version)")
        let summary = try json(NNSpecBinary.run(["summary", "--format", "json", "examples/lenet.yaml"]).standardOutput)
        #expect(summary["nnspec_version"] as? String == version)
    }

    /// `summary --format json` is one object for a valid and an invalid spec alike.
    @Test func summaryJSONHasOneShape() throws {
        let valid = try NNSpecBinary.run(["summary", "--format", "json", "examples/lenet.yaml"])
        let invalid = try NNSpecBinary.run(["summary", "--format", "json", "two-errors.yaml"], in: NNSpecBinary.fixtures)
        #expect(valid.status == 0)
        #expect(invalid.status == 1)
        for (run, isValid) in [(valid, true), (invalid, false)] {
            let document = try json(run.standardOutput)
            #expect(document["format"] as? String == "nnspec.summary/1")
            #expect(Set(document.keys) == ["format", "nnspec_version", "file", "valid", "diagnostics", "network"])
            #expect(document["valid"] as? Bool == isValid)
            #expect((document["network"] is NSNull) == !isValid)
        }
        let diagnostics = try #require(try json(invalid.standardOutput)["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { $0["line"] as? Int } == [7, 8])
        let network = try #require(try json(valid.standardOutput)["network"] as? [String: Any])
        #expect((network["totals"] as? [String: Any])?["parameters"] as? Int == 61706)
    }

    @Test func testJSONIsVersionedAndJUnitIsWritten() throws {
        let scratch = try Scratch()
        let report = scratch.root.appending(path: "report.xml").path
        let run = try NNSpecBinary.run(["test", "--no-train", "--format", "json", "--junit", report,
                                        "specs/invalid/conv-in-channels.yaml", "Tests/NNRunTests/Fixtures/Regression/training/thresholds.yaml"])
        #expect(run.status == 0, "\(run.standardError)")
        let document = try json(run.standardOutput)
        #expect(document["format"] as? String == "nnspec.test/1")
        #expect(document["passed"] as? Int == 2)
        let xml = try scratch.read("report.xml")
        let parsed = try XMLParsed(xml)
        #expect(parsed.elements.filter { $0 == "testcase" }.count == 2)
        #expect(parsed.elements.filter { $0 == "skipped" }.count == 1)
        #expect(parsed.attributes["testsuite"]?["tests"] == "2")
        // A second run replaces the report nnspec wrote; a file nnspec did not write is left alone.
        #expect(try NNSpecBinary.run(["test", "--no-train", "--junit", report, "examples/lenet.yaml"]).status == 0)
        #expect(try XMLParsed(scratch.read("report.xml")).attributes["testsuite"]?["tests"] == "1")
        try scratch.write(Data("my notes\n".utf8), to: "notes.xml")
        let refused = try NNSpecBinary.run(["test", "--no-train", "--junit", scratch.root.appending(path: "notes.xml").path, "examples/lenet.yaml"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("was not written by nnspec"), "\(refused.standardError)")
        #expect(refused.standardOutput.isEmpty)
        #expect(try scratch.read("notes.xml") == "my notes\n")
    }

    @Test func aFailingSpecIsAJUnitFailure() throws {
        let scratch = try Scratch()
        let report = scratch.root.appending(path: "report.xml").path
        let run = try NNSpecBinary.run(["test", "--junit", report, "fail/wrong-parameter-count.yaml"],
                                       in: NNSpecBinary.repositoryRoot.appending(path: "Tests/NNRunTests/Fixtures/Regression"))
        #expect(run.status == 1)
        let parsed = try XMLParsed(scratch.read("report.xml"))
        #expect(parsed.elements.contains("failure"))
        #expect(parsed.attributes["testsuite"]?["failures"] == "1")
    }

    @Test func aSpecIsReadFromStandardInput() throws {
        let valid = try NNSpecBinary.run(["validate", "-"], standardInput: Data(Self.tinySpec.utf8))
        #expect(valid.standardOutput == "<stdin>: valid\n")
        #expect(valid.status == 0)
        let broken = Self.tinySpec.replacingOccurrences(of: "in_features: 4", with: "in_features: 5")
        let invalid = try NNSpecBinary.run(["summary", "-"], standardInput: Data(broken.utf8))
        #expect(invalid.standardOutput.hasPrefix("<stdin>:4:43: error: fc expects in_features 5 but receives 4 from input\n"), "\(invalid.standardOutput)")
        #expect(invalid.status == 1)
        let trained = try NNSpecBinary.run(["train", "-", "--quiet"], standardInput: Data(Self.tinySpec.utf8))
        #expect(trained.status == 0, "\(trained.standardError)")
        #expect(trained.standardOutput.contains("final loss "))
    }

    /// The flag wins over NNSPEC_THREADS, which wins over the CPU count; a bad value is a usage error naming it.
    @Test func threadCountComesFromTheFlagThenTheEnvironment() throws {
        let spec = Data(Self.tinySpec.utf8)
        let fromEnvironment = try NNSpecBinary.run(["train", "-"], environment: ["NNSPEC_THREADS": "3"], standardInput: spec)
        #expect(fromEnvironment.standardOutput.contains("seed 0, 3 threads\n"), "\(fromEnvironment.standardOutput)")
        let fromFlag = try NNSpecBinary.run(["train", "-", "--threads", "2"], environment: ["NNSPEC_THREADS": "3"], standardInput: spec)
        #expect(fromFlag.standardOutput.contains("seed 0, 2 threads\n"))
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let byDefault = try NNSpecBinary.run(["train", "-"], environment: ["NNSPEC_THREADS": ""], standardInput: spec)
        #expect(byDefault.standardOutput.contains("seed 0, \(cores) thread\(cores == 1 ? "" : "s")\n"), "\(byDefault.standardOutput)")
        let bad = try NNSpecBinary.run(["train", "-"], environment: ["NNSPEC_THREADS": "many"], standardInput: spec)
        #expect(bad.status == 64)
        #expect(bad.standardError.hasPrefix("Error: NNSPEC_THREADS must be 1 to 256, not 'many'\n"))
    }

    /// The same training run gives the same losses and accuracy on one and on two threads.
    @Test func resultsAreIdenticalForAnyThreadCount() throws {
        func finalLines(threads: Int) throws -> [Substring] {
            let run = try NNSpecBinary.run(["train", "examples/digits.yaml", "--epochs", "1", "--quiet", "--threads", String(threads)])
            #expect(run.status == 0, "\(run.standardError)")
            return run.standardOutput.split(separator: "\n").filter { $0.hasPrefix("final loss") || $0.hasPrefix("test loss") }
        }
        let one = try finalLines(threads: 1)
        #expect(one.count == 2)
        #expect(try finalLines(threads: 2) == one)
    }

    @Test func benchBlamesRepeats() throws {
        let run = try NNSpecBinary.run(["bench", "examples/lenet.yaml", "--repeats", "0"])
        #expect(run.status == 64)
        #expect(run.standardError.hasPrefix("Error: --repeats must be at least 1, got 0\nUsage: nnspec bench"), "\(run.standardError)")
    }

    /// `--inference` times the forward pass predict runs (planned, or through autograd with
    /// `--autograd`): LeNet-5's 416,520 multiply-adds per image.
    @Test(arguments: [([String](), "planned (buffers allocated once, reused every pass)"), (["--autograd"], "autograd")])
    func benchInferenceTimesForwardPasses(flags: [String], execution: String) throws {
        let run = try NNSpecBinary.run(["bench", "examples/lenet.yaml", "--inference", "--batch-sizes", "2", "--repeats", "1",
                                        "--warmup-steps", "1"] + flags)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains(", 0.833 MFLOP per image per forward pass\n"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("forward pass: evaluation mode, as nnspec predict runs it, \(execution)\n"), "\(run.standardOutput)")
        let rows = run.standardOutput.split(separator: "\n").filter { $0.split(separator: " ").first == "2" }
        #expect(rows.count == 1, "\(run.standardOutput)")
    }

    @Test func aTorchSaveFileGetsTheConversionHint() throws {
        let scratch = try Scratch()
        try scratch.write(Data("PK\u{3}\u{4}archive".utf8), to: "model.pt")
        try scratch.write(Data(Self.tinySpec.utf8), to: "tiny.yaml")
        let run = try NNSpecBinary.run(["train", "tiny.yaml", "--init", "model.pt"], in: scratch.root)
        #expect(run.status == 1)
        #expect(run.standardError.contains(
            "(hint: model.pt is a torch.save file (zip or pickle), not safetensors; convert it in Python with "
                + "safetensors.torch.save_file(model.state_dict(), \"model.safetensors\"))"), "\(run.standardError)")
    }

    /// Names saved from a wrapper (`module.fc.weight`) get an offer to strip the prefix, which then loads them.
    @Test func aCommonPrefixIsOfferedAndStripped() throws {
        let scratch = try Scratch()
        try scratch.write(Data(Self.tinySpec.utf8), to: "tiny.yaml")
        try scratch.write(Self.safetensors(["module.fc.weight": [3, 4], "module.fc.bias": [3]]), to: "wrapped.safetensors")
        let refused = try NNSpecBinary.run(["train", "tiny.yaml", "--init", "wrapped.safetensors"], in: scratch.root)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("(hint: every name in the file starts with 'module.'; --strip-prefix module. loads them without it)"),
                "\(refused.standardError)")
        let loaded = try NNSpecBinary.run(["train", "tiny.yaml", "--init", "wrapped.safetensors", "--strip-prefix", "module."], in: scratch.root)
        #expect(loaded.status == 0, "\(loaded.standardError)")
    }

    /// A safetensors file of F32 zeros with these names and shapes.
    static func safetensors(_ tensors: [String: [Int]]) -> Data {
        var offset = 0
        let entries = tensors.sorted { $0.key < $1.key }.map { name, shape in
            let bytes = 4 * shape.reduce(1, *)
            defer { offset += bytes }
            return "\"\(name)\": {\"dtype\": \"F32\", \"shape\": \(shape), \"data_offsets\": [\(offset), \(offset + bytes)]}"
        }
        var header = Data(("{" + entries.joined(separator: ", ") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var data = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        return data + header + Data(count: offset)
    }
}
