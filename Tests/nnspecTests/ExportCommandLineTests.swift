import Foundation
import Testing

/// `nnspec export` as a user runs it: what it writes and says, and exit status 1 with a located or
/// named error for bad input, which loses nothing.
@Suite struct ExportCommandLineTests {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "export-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func pytorchAndOnnxExportsAreWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pytorch = try NNSpecBinary.run(["export", "specs/parity/mlp.yaml", "--to", "pytorch", "--output", directory.path + "/out",
                                            "--weights", "specs/parity/mlp-init.safetensors"])
        #expect(pytorch.status == 0, "\(pytorch.standardError)")
        let written = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/out").sorted()
        #expect(written == ["README.md", "model.py", "train.py", "weights.safetensors"])
        let onnx = try NNSpecBinary.run(["export", "specs/parity/mlp.yaml", "--to", "onnx", "--output", directory.path + "/mlp.onnx",
                                         "--weights", "specs/parity/mlp-init.safetensors"])
        #expect(onnx.status == 0, "\(onnx.standardError)")
        #expect(onnx.standardOutput == "wrote \(directory.path)/mlp.onnx\n")
    }

    @Test func anInvalidSpecIsReportedAtItsLineAndNothingIsWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try NNSpecBinary.run(["export", "specs/invalid/conv-in-channels.yaml", "--to", "pytorch", "--output", directory.path + "/out"])
        #expect(run.status == 1)
        #expect(run.standardError.contains("specs/invalid/conv-in-channels.yaml:4:46: error: conv1 expects in_channels 3"))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/out"))
    }

    @Test func weightsOfAnotherNetworkAreAnError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try NNSpecBinary.run(["export", "specs/parity/mlp.yaml", "--to", "onnx", "--output", directory.path + "/m.onnx",
                                        "--weights", "specs/parity/lenet-init.safetensors"])
        #expect(run.status == 1)
        #expect(run.standardError.hasPrefix("specs/parity/lenet-init.safetensors: error: --weights: "))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/m.onnx"))
    }

    @Test func anUnwritableOutputAndAForeignFileAreErrors() throws {
        let unwritable = try NNSpecBinary.run(["export", "specs/parity/mlp.yaml", "--to", "pytorch", "--output", "/proc/nnspec-export"])
        #expect(unwritable.status == 1)
        #expect(unwritable.standardError.hasPrefix("/proc/nnspec-export: error: cannot create the output directory"))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let own = directory.appending(path: "train.py")
        try Data("my training\n".utf8).write(to: own)
        let refused = try NNSpecBinary.run(["export", "specs/parity/mlp.yaml", "--to", "pytorch", "--output", directory.path])
        #expect(refused.status == 1)
        #expect(refused.standardError == "\(own.path): error: the file exists and was not written by nnspec; pass --force to replace it\n")
        #expect(try String(contentsOf: own, encoding: .utf8) == "my training\n")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/model.py"))
    }

    @Test func onnxWithoutWeightsIsAUsageError() throws {
        let run = try NNSpecBinary.run(["export", "specs/parity/mlp.yaml", "--to", "onnx", "--output", "m.onnx"])
        #expect(run.status == 64)
        #expect(run.standardError.contains("--to onnx needs --weights"))
    }
}
