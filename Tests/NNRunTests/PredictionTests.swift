import Foundation
import NNData
import NNSpec
import NNTensor
import Testing
@testable import NNRun

/// The digits MLP (specs/training/digits-mlp.yaml) trained for its two epochs, saved in `scratch`.
func trainedDigitsMLP(in scratch: ScratchDirectory) throws -> (spec: String, weights: String) {
    let spec = repositoryRoot.appendingPathComponent("specs/training/digits-mlp.yaml").path
    let weights = scratch.path("digits-mlp.safetensors")
    let run = runTrain(spec) {
        $0.saveWeights = weights
        $0.quiet = true
    }
    guard run.status == 0 else { throw SpecInvalid(diagnostics: run.error) }
    return (spec, weights)
}

/// Runs `nnspec predict` in process; returns the exit status and the captured text.
func runPredict(_ spec: String, _ options: PredictionOptions, interruption: InterruptFlag? = nil) -> (status: Int32, output: String, error: String) {
    let captured = CapturedConsole()
    let status = PredictionSession.run(file: spec, options: options, console: captured.console(), interruption: interruption)
    return (status, captured.output, captured.error)
}

/// `nnspec predict` on the shipped digits: every output format's content, the input formats, and
/// the summary.
@Suite struct PredictionTests {
    let digitsTestImages = repositoryRoot.appendingPathComponent("examples/data/digits/test-images-idx3-ubyte.gz").path

    /// The network's outputs for the spec's test split, computed here in one batch.
    private func expectedOutputs(spec: String, weights: String) throws -> Tensor {
        let validated = try validatedSpec(path: spec)
        let predictor = try Predictor(spec: validated, weights: weights)
        return try predictor.outputs(try DataSplit.test.dataset(for: validated).inputs)
    }

    private func readNPY(_ path: String) throws -> (shape: [Int], values: [Float]) {
        let file = try NPYFile(path: path)
        var values: [Float] = []
        try file.readSamples(file.header.shape[0], into: &values)
        return (file.header.shape, values)
    }

    @Test func npyHoldsTheOutputsOfEveryBatchInOrder() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, split: .test)
        options.output = scratch.path("out.npy")
        options.batchSize = 7  // 360 = 51 × 7 + 3: a short last batch
        let run = runPredict(spec, options)
        #expect(run.status == 0, "\(run.error)")
        let written = try readNPY(scratch.path("out.npy"))
        let expected = try expectedOutputs(spec: spec, weights: weights)
        #expect(written.shape == [360, 10])
        #expect(written.values == expected.scalars)
        let header = try #require(String(data: try Data(contentsOf: URL(fileURLWithPath: scratch.path("out.npy"))).prefix(128), encoding: .isoLatin1))
        #expect(header.contains("{'descr': '<f4', 'fortran_order': False, 'shape': (360, 10), }"))
        #expect(header.hasSuffix("# nnspec predictions\n"))
        #expect(run.output.hasPrefix("DigitsMLP: 360 samples of the test split, outputs [360, 10]\npredicted classes (class: samples):\n"))
        #expect(run.output.hasSuffix("predictions written to \(scratch.path("out.npy"))\n"))
    }

    @Test func csvHasThePredictedClassThenTheOutputs() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, input: digitsTestImages)
        options.output = scratch.path("out.csv")
        #expect(runPredict(spec, options).status == 0)
        let lines = try String(contentsOfFile: scratch.path("out.csv"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 361)
        #expect(lines[0] == "predicted," + (0..<10).map { "output_\($0)" }.joined(separator: ","))
        let expected = try expectedOutputs(spec: spec, weights: weights)
        let classes = ClassificationMetrics.predictedClasses(expected, classCount: 10)
        for (row, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",")
            #expect(Int(fields[0]) == classes[row])
            #expect(fields.dropFirst().map { Float(String($0))! } == Array(expected.scalars[row * 10 ..< row * 10 + 10]))
        }
    }

    @Test func jsonIsTheDocumentedObject() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, split: .test)
        options.output = scratch.path("out.json")
        #expect(runPredict(spec, options).status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.path("out.json")))) as? [String: Any])
        #expect(object["format"] as? String == "nnspec.predictions/1")
        #expect(object["spec"] as? String == spec && object["weights"] as? String == weights)
        #expect(object["input"] as? String == "the test split")
        #expect(object["count"] as? Int == 360 && object["output_shape"] as? [Int] == [10] && object["classes"] as? Int == 10)
        let predictions = try #require(object["predictions"] as? [[String: Any]])
        #expect(predictions.count == 360)
        let expected = try expectedOutputs(spec: spec, weights: weights)
        #expect(predictions[5]["predicted"] as? Int == ClassificationMetrics.predictedClasses(expected, classCount: 10)[5])
        #expect((predictions[5]["output"] as? [Double])?.map(Float.init) == Array(expected.scalars[50..<60]))
    }

    /// An IDX file given as --input goes through the spec's transforms as its test split does.
    @Test func idxInputIsTransformedAsTheSpecsData() throws {
        let scratch = try ScratchDirectory()
        let (spec, weights) = try trainedDigitsMLP(in: scratch)
        var options = PredictionOptions(weights: weights, input: digitsTestImages)
        options.output = scratch.path("idx.npy")
        #expect(runPredict(spec, options).status == 0)
        #expect(try readNPY(scratch.path("idx.npy")).values == (try expectedOutputs(spec: spec, weights: weights)).scalars)
    }

    /// A CSV file as --input: with the label column the spec's split has (left out), or features only.
    @Test func csvInputWithOrWithoutItsLabelColumn() throws {
        let scratch = try ScratchDirectory()
        let spec = repositoryRoot.appendingPathComponent("examples/iris.yaml").path
        let weights = scratch.path("iris.safetensors")
        #expect(runTrain(spec) { $0.saveWeights = weights; $0.quiet = true; $0.epochs = 2 }.status == 0)
        let labelled = repositoryRoot.appendingPathComponent("examples/data/iris/test.csv").path
        var options = PredictionOptions(weights: weights, input: labelled)
        options.output = scratch.path("labelled.npy")
        #expect(runPredict(spec, options).status == 0)
        let fromSplit = try expectedOutputs(spec: spec, weights: weights)
        #expect(try readNPY(scratch.path("labelled.npy")).values == fromSplit.scalars)

        let rows = try String(contentsOfFile: labelled, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").prefix(4).joined(separator: ",") }
        options.input = try scratch.write(rows.joined(separator: "\n") + "\n", to: "features.csv")
        options.output = scratch.path("features.npy")
        #expect(runPredict(spec, options).status == 0)
        #expect(try readNPY(scratch.path("features.npy")).values == fromSplit.scalars)
    }

    /// Eval mode: dropout is off, so two runs over the same samples give the same outputs.
    @Test func dropoutIsOffWhilePredicting() throws {
        let scratch = try ScratchDirectory()
        let (smallScratch, spec) = try scratchWithSmallSpec()
        defer { withExtendedLifetime(smallScratch) {} }
        let weights = scratch.path("small.safetensors")
        #expect(runTrain(spec) { $0.saveWeights = weights; $0.quiet = true; $0.steps = 2 }.status == 0)
        let validated = try validatedSpec(path: spec)
        let predictor = try Predictor(spec: validated, weights: weights)
        let inputs = try DataSplit.test.dataset(for: validated).inputs
        #expect(try predictor.outputs(inputs) == (try predictor.outputs(inputs)))
        #expect(!predictor.network.isTraining)
    }

    /// A 4 GiB `.npy` (sparse: nothing on disk) is opened and read a batch at a time: the stream
    /// holds one batch, never the file.
    @Test func aLargeNPYIsReadABatchAtATime() throws {
        let scratch = try ScratchDirectory()
        let samples = 1 << 24
        let path = scratch.path("large.npy")
        let header = NPYHeader(shape: [samples, 64]).encoded()
        try Data(header).write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(header.count + samples * 64 * 4))
        try handle.close()
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/training/digits-mlp.yaml").path)
        var stream = try PredictionInput.open(path, for: spec)
        #expect(stream.count == samples)
        for _ in 0..<3 {
            let batch = try #require(try stream.next(upTo: 32))
            #expect(batch.shape == [32, 64] && batch.scalars.allSatisfy { $0 == 0 })
        }
        #expect(peakMemoryMiB() < 2048, "the 4 GiB file was not loaded")
    }
}
