import Foundation
import NNData
import Testing
@testable import NNRun

/// `nnspec predict` on bad input: each is exit 1 with a message naming the file, and the output
/// file keeps what it held.
@Suite struct PredictionFailureTests {
    @Test func weightsOfAnotherNetworkGetTheInitDiagnostics() throws {
        let scratch = try ScratchDirectory()
        let (spec, _) = try trainedDigitsMLP(in: scratch)
        let other = repositoryRoot.appendingPathComponent("specs/parity/mlp-init.safetensors").path
        let run = runPredict(spec, PredictionOptions(weights: other, split: .test))
        #expect(run.status == 1)
        #expect(run.error.hasPrefix("error: --weights \(other): state does not fit the module: unexpected: out.bias, out.weight; shape mismatch for: fc1.weight: [32, 8] in the file, [32, 64] in the module"))
        // The same text `train --init` prints after its own option name.
        let initRun = runTrain(spec) { $0.initialWeights = other }
        #expect(initRun.error.replacingOccurrences(of: "--init", with: "--weights") == run.error)
    }

    @Test func anInputOfTheWrongShapeIsReportedAtTheSpecsInputLine() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        let input = scratch.path("images.npy")
        try DataFileWriter.write(NPYHeader(shape: [2, 8, 8]).encoded() + NPYFile.encodedBody([Float](repeating: 0, count: 128)),
                                 to: input, compressed: false)
        let run = runPredict(spec, PredictionOptions(weights: weights, input: input))
        #expect(run.status == 1)
        #expect(run.error == """
            \(spec):5:8: error: \(input) holds samples [8, 8] (shape [2, 8, 8]), but the input takes samples [64]; .npy data is fed as is: save it as [count] + [64]
            input: [N, 64]
                   ^

            """)
        let csv = try scratch.write("1,2,3\n4,5,6\n", to: "rows.csv")
        let csvRun = runPredict(spec, PredictionOptions(weights: weights, input: csv))
        #expect(csvRun.status == 1)
        #expect(csvRun.error.hasPrefix("\(spec):5:8: error: \(csv) holds rows of 3 values, but the input takes samples of 64 values ([64]) before the spec's transforms\n"))
    }

    @Test func aSpecThatDoesNotValidateGetsItsDiagnostics() throws {
        let spec = repositoryRoot.appendingPathComponent("specs/invalid/conv-in-channels.yaml").path
        let run = runPredict(spec, PredictionOptions(weights: "unused.safetensors", split: .test))
        #expect(run.status == 1)
        #expect(run.error.contains("conv-in-channels.yaml:4:46: error: conv1 expects in_channels 3 but receives 1 from input"))
        #expect(run.output.isEmpty)
    }

    @Test func anExistingFileNotWrittenByNNSpecIsReplacedOnlyWithForce() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        for name in ["mine.npy", "mine.csv", "mine.json"] {
            let path = try scratch.write("precious", to: name)
            var options = PredictionOptions(weights: weights, split: .test)
            options.output = path
            let refused = runPredict(spec, options)
            #expect(refused.status == 1)
            #expect(refused.error == "error: --output \(path): the file exists and was not written by nnspec predict; pass --force to replace it\n")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
            // nnspec's own file is replaced without --force once it is there.
            options.force = true
            #expect(runPredict(spec, options).status == 0)
            options.force = false
            #expect(runPredict(spec, options).status == 0)
            let own = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(PredictionFile.isOwnFile(prefix: Array(own.prefix(4096)), format: try PredictionFile.format(of: path)))
        }
    }

    @Test func unwritableOrUnknownOutputsAreRefusedBeforeComputing() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, split: .test)
        options.output = scratch.path("missing/out.npy")
        let missing = runPredict(spec, options)
        #expect(missing.status == 1 && missing.error.hasPrefix("error: --output \(scratch.path("missing/out.npy")): cannot create a file in"))
        options.output = scratch.path("out.txt")
        #expect(runPredict(spec, options).error == "error: --output \(scratch.path("out.txt")): the format is chosen by the extension: .npy, .csv or .json\n")
        #expect(missing.output.isEmpty)
    }

    /// A write that fails midway (a full disk) leaves the previous predictions and no temporary file.
    @Test func aFailedWriteLeavesThePreviousFile() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, split: .test)
        options.output = scratch.path("out.csv")
        options.batchSize = 10
        #expect(runPredict(spec, options).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.csv")))
        options.fileOutput = FailingOutput(failingCall: 3, errno: ENOSPC).output
        options.batchSize = 20
        let failed = runPredict(spec, options)
        #expect(failed.status == 1)
        #expect(failed.error.contains("No space left on device"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.csv"))) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["digits-mlp.safetensors", "out.csv"])
    }

    @Test func anInterruptionStopsBetweenBatchesAndWritesNothing() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, split: .test)
        options.output = scratch.path("out.npy")
        let interruption = InterruptFlag()
        interruption.raise()
        let run = runPredict(spec, options, interruption: interruption)
        #expect(run.status == TrainingSession.interruptedStatus)
        #expect(run.output == "interrupted after 0 of 360 samples; \(scratch.path("out.npy")) is unchanged\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["digits-mlp.safetensors"])
    }

    @Test func aSpecWithoutTheSplitOrWithoutAnInputIsRefused() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        let (smallScratch, small) = try scratchWithSmallSpec()
        defer { withExtendedLifetime(smallScratch) {} }
        let parity = repositoryRoot.appendingPathComponent("specs/parity/mlp.yaml").path
        let parityWeights = repositoryRoot.appendingPathComponent("specs/parity/mlp-init.safetensors").path
        #expect(runPredict(parity, PredictionOptions(weights: parityWeights, split: .test)).error == "error: MLP has no data: test: split\n")
        #expect(runPredict(spec, PredictionOptions(weights: weights)).error == "error: give either --input FILE or --split train|test\n")
        #expect(runPredict(small, PredictionOptions(weights: scratch.path("absent.safetensors"), split: .test)).status == 1)
    }
}
