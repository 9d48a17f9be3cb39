import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NN
import NNData
import Testing
@testable import NNRun

/// What non-finite data and weights, and a spec that crashes its test process, get: a message
/// naming the data or the weights, and one failed result.
@Suite struct HostileInputTests {
    static let spec = """
        nnspec: 1
        input: [N, 1, 2, 2]
        layers:
          - Flatten
          - {name: fc, type: Linear, in_features: 4, out_features: 3}
        loss: CrossEntropyLoss
        optimizer: {type: SGD, lr: 0.01}
        data:
          batch_size: 2
          train: {source: idx, images: images-idx3-ubyte, labels: labels-idx1-ubyte}

        """

    /// Two 2×2 float32 images (the second holding `badValue` at its third pixel) and their labels.
    private func writeData(in scratch: ScratchDirectory, badValue: Float) throws {
        // IDX float32 (type code 0x0d), 3 dimensions [2, 2, 2], then the values big-endian.
        var images: [UInt8] = [0, 0, 0x0D, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]
        for value in [0.5, 0.25, 1, 0, 0.75, 0.5, badValue, 1] as [Float] {
            images += withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init)
        }
        try Data(images).write(to: URL(fileURLWithPath: scratch.path("images-idx3-ubyte")))
        try IDXFile.write(dataType: .uint8, dimensions: [2], values: [0, 2], to: scratch.path("labels-idx1-ubyte"), compressed: false)
    }

    @Test func nanInTheDataIsBlamedOnTheData() throws {
        let scratch = try ScratchDirectory()
        try writeData(in: scratch, badValue: .nan)
        let spec = try scratch.write(Self.spec, to: "nan-data.yaml")
        let run = runTrain(spec) { $0.quiet = true }
        #expect(run.status == 1)
        #expect(run.error.contains("the first non-finite layer output is input (data): 1 NaN values among 8"))
        #expect(run.error.contains("the data itself holds them: check the data files (or the transforms)"))
        #expect(!run.error.contains("learning rate"))
    }

    @Test func nanInInitWeightsIsRefusedNamingTheTensor() throws {
        let scratch = try ScratchDirectory()
        try writeData(in: scratch, badValue: 0.5)
        let spec = try scratch.write(Self.spec, to: "nan-init.yaml")
        let trainer = try Trainer(spec: try validatedSpec(path: spec))
        try trainer.network.state(named: "fc.bias").value.scalars[1] = .nan
        let weights = scratch.path("nan.safetensors")
        try WeightsFile.save(trainer.network, to: weights)
        let run = runTrain(spec) { $0.initialWeights = weights }
        #expect(run.status == 1)
        #expect(run.error.contains(
            "--init \(weights): fc.bias (weights): 1 NaN values among 3; training from non-finite weights can only give NaN"))
        #expect(!run.error.contains("learning rate"))
    }

    @Test func trainPrintsTheSpecsNameAndPathsWithoutTheirEscapes() throws {
        let scratch = try ScratchDirectory()
        let named = try scratch.write("""
            nnspec: 1
            name: "Net\\e]0;PWNED\\a"
            input: [N, 2]
            layers: [{type: Linear, in_features: 2, out_features: 2}]
            loss: MSELoss
            optimizer: SGD
            data:
              train: {source: random, samples: 2}

            """, to: "named.yaml")
        let run = runTrain(named)
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("Net\\u{1b}]0;PWNED\\u{7}(\n"))
        let missing = try scratch.write("""
            nnspec: 1
            input: [N, 1]
            layers: [{type: Linear, in_features: 1, out_features: 2}]
            loss: CrossEntropyLoss
            optimizer: SGD
            data:
              train: {source: csv, path: "gone\\e[2J.csv"}

            """, to: "missing.yaml")
        let failed = runTrain(missing)
        #expect(failed.status == 1)
        #expect(failed.error.contains("gone\\u{1b}[2J.csv"))
        #expect(!(run.output + failed.error).unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    @Test(.timeLimit(.minutes(1)))
    func aGoldenThatIsAFIFOIsRefusedWithoutBlocking() throws {
        let scratch = try ScratchDirectory()
        let fifo = scratch.path("fifo.golden.json")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: RegressionError("cannot read the golden file \(fifo): cannot read it: it is a FIFO, not a regular file")) {
            try GoldenRecord.read(from: fifo)
        }
        #expect(throws: RegressionError("cannot read the golden file \(scratch.url.path)")) { try GoldenRecord.read(from: scratch.url.path) }
    }

    @Test func aChildThatCrashesIsOneFailedResult() {
        let crashing = ChildSpecProcess(executable: "/bin/sh", arguments: ["-c", "echo 'Fatal error: boom' >&2; kill -s ILL $$", "sh"])
        let result = crashing.test(specAt: "specs/crash.yaml")
        #expect(result.path == "specs/crash.yaml")
        #expect(result.failures == [ExpectationFailure(line: nil, "expected its test to finish, but nnspec stopped on signal 4 (Fatal error: boom)")])
        let silent = ChildSpecProcess(executable: "/bin/sh", arguments: ["-c", "exit 3", "sh"])
        #expect(silent.test(specAt: "a.yaml").failures.map(\.message) == ["expected a test result, but nnspec exited with status 3 without one"])
    }

    @Test func aChildsResultIsReadBack() throws {
        let expected = SpecTestResult(path: "x.yaml", failures: [ExpectationFailure(line: 3, "expected 1 but saw 2")], goldenChanges: ["recorded g"])
        let json = String(decoding: try JSONEncoder().encode(expected), as: UTF8.self)
        let child = ChildSpecProcess(executable: "/bin/sh", arguments: ["-c", "printf '%s' \"$0\"", json])
        #expect(child.test(specAt: "x.yaml") == expected)
    }
}
