import Foundation
import NN
import NNData
@testable import NNRun
import NNSpec
import NNTensor
import Testing

/// The text data source: the vocabulary, next-character samples cut by characters and by lines,
/// located errors, the vocabulary saved with the weights, and sampling from a trained model.
@Suite struct TextSourceTests {
    @Test func vocabularyIsSortedWithTheSpecialTokensOfLinesFirst() throws {
        let scratch = try ScratchDirectory()
        let text = try TextFile.read(path: try scratch.write("bca\r\nab\n", to: "t.txt"))
        #expect(text.scalars.map { String(Character($0)) }.joined() == "bca\nab\n")
        #expect(try TextVocabulary(training: text, unit: .characters).tokens == ["\n", "a", "b", "c"])
        let lines = try TextVocabulary(training: text, unit: .lines)
        #expect(lines.tokens == ["<pad>", "<s>", "a", "b", "c"])
        #expect(lines.index(of: "a") == 2 && lines.index(of: "\n") == nil && lines.boundaryIndex == 1)
    }

    @Test func charactersGiveWindowsWithTheNextCharacterAsTarget() throws {
        let scratch = try ScratchDirectory()
        let text = try TextFile.read(path: try scratch.write("abcab\nba", to: "t.txt"))
        let vocabulary = try TextVocabulary(training: text, unit: .characters)  // \n a b c
        let dataset = try Dataset.text(text, vocabulary: vocabulary, context: 3, ignoreIndex: -100)
        // Indices 1 2 3 1 2 0 2 1: windows [1 2 3] → [2 3 1], [1 2 0] → [2 0 2]; "a" after them is left out.
        #expect(dataset.inputs.shape == [2, 3])
        #expect(dataset.inputs.scalars == [1, 2, 3, 1, 2, 0])
        #expect(dataset.targets == .positionClasses(indices: [2, 3, 1, 2, 0, 2], positions: 3, classCount: 4))
    }

    @Test func linesArePaddedWithIgnoredTargets() throws {
        let scratch = try ScratchDirectory()
        let text = try TextFile.read(path: try scratch.write("ab\n\nbab\n", to: "t.txt"))
        let vocabulary = try TextVocabulary(training: text, unit: .lines)  // <pad> <s> a b
        let dataset = try Dataset.text(text, vocabulary: vocabulary, context: 5, ignoreIndex: -100)
        #expect(dataset.inputs.scalars == [1, 2, 3, 0, 0, 1, 3, 2, 3, 0])
        #expect(dataset.targets == .positionClasses(indices: [2, 3, 1, -100, -100, 3, 2, 3, 1, -100], positions: 5, classCount: 4))
        let tooShort = dataError { try Dataset.text(text, vocabulary: vocabulary, context: 3, ignoreIndex: -100) }
        #expect(tooShort?.description == "\(text.path):3: the line has 3 characters; 3 positions hold at most 2 after <s>")
    }

    @Test func batchesGatherEverySamplePositions() throws {
        let scratch = try ScratchDirectory()
        let text = try TextFile.read(path: try scratch.write("abcabcabca", to: "t.txt"))
        let dataset = try Dataset.text(text, vocabulary: try TextVocabulary(training: text, unit: .characters), context: 3, ignoreIndex: -100)
        let batch = try DataLoader(dataset: dataset, batchSize: 2).batches(epoch: 0).batch(1)
        #expect(batch.targets == .positionClasses(indices: [1, 2, 0], positions: 3, classCount: 3))
        #expect(try dataset.prefix(2).targets.count == 2)
    }

    @Test func invalidUTF8AndUnknownCharactersAreLocated() throws {
        let scratch = try ScratchDirectory()
        let bad = scratch.path("bad.txt")
        try Data([0x61, 0x0A, 0x62, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: bad))
        #expect(throws: DataFileError(path: bad, location: .text(line: 2, column: 2), message: "the text is not valid UTF-8 here")) {
            try TextFile.read(path: bad)
        }
        let training = try TextFile.read(path: try scratch.write("ab\n", to: "train.txt"))
        let test = try TextFile.read(path: try scratch.write("ab\nbz\n", to: "test.txt"))
        let error = dataError {
            try Dataset.text(test, vocabulary: try TextVocabulary(training: training, unit: .characters), context: 2, ignoreIndex: -100)
        }
        #expect(error?.description == "\(test.path):2:2: the character z is not in the training text's vocabulary")
        #expect(throws: DataFileError.self) { try TextFile.read(path: try scratch.write("abcd", to: "long.txt"), maximumBytes: 3) }
    }

    @Test func savedWeightsCarryTheVocabularyAndSampleNames() throws {
        let scratch = try ScratchDirectory()
        let spec = repositoryRoot.appendingPathComponent("specs/valid/text-characters.yaml").path
        let weights = scratch.path("w.safetensors")
        let run = runTrain(spec) { $0.saveWeights = weights }
        #expect(run.status == 0, "\(run.error)")
        let metadata = try SafetensorsReader(path: weights).metadata
        let vocabulary = try VocabularyMetadata.vocabulary(in: metadata, path: weights)
        #expect(vocabulary.tokens == ["\n", "a", "b", "c", "d", "e", "h", "i", "l", "n", "o", "r", "s"])
        let sampler = try TextSampler(spec: try validatedSpec(path: spec), weights: weights)
        var options = SampleOptions(weights: weights)
        options.count = 3
        options.maxLength = 5
        options.prompt = "an"
        let samples = try sampler.samples(options)
        #expect(samples.count == 3 && samples.allSatisfy { $0.hasPrefix("an") && $0.count <= 7 && !$0.contains("\n") })
        #expect(try sampler.samples(options) == samples)
        options.prompt = "z"
        #expect(throws: TrainingError.self) { try sampler.samples(options) }
        let report = try EvalSession.evaluate(try validatedSpec(path: spec), file: spec, options: EvalOptions(weights: weights))
        // Weights whose vocabulary is not the training text's are refused where the text is read.
        let other = scratch.path("other.safetensors")
        let entry = VocabularyMetadata.entry(try TextVocabulary(training: try TextFile.read(path: try scratch.write("xy\n", to: "xy.txt")), unit: .characters))
        let file = try SafetensorsFile(contentsOf: URL(fileURLWithPath: weights))
        try SafetensorsFile(tensors: file.tensors, metadata: file.metadata.merging([entry.key: entry.value]) { $1 })
            .write(to: URL(fileURLWithPath: other))
        let refusal = #expect(throws: TrainingError.self) {
            try EvalSession.evaluate(try validatedSpec(path: spec), file: spec, options: EvalOptions(weights: other))
        }
        #expect(refusal?.description.hasSuffix("the text changed since the weights were saved") == true)
        #expect(report.evaluation.correct == nil && report.evaluation.samples == 6)
        #expect(report.text.hasSuffix("no accuracy: CrossEntropyLoss scores a class at each position here, and accuracy is measured per sample, so the loss is the whole result\n"))
    }

    @Test func sampleRefusesWeightsWithoutVocabularyAndOtherModels() throws {
        let scratch = try ScratchDirectory()
        let spec = try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/valid/text-characters.yaml").path)
        let weights = scratch.path("plain.safetensors")
        var generator = RandomGenerator(seed: 0)
        try WeightsFile.save(try NetworkBuilder.build(spec, generator: &generator), to: weights)
        let refusal = #expect(throws: TrainingError.self) { try TextSampler(spec: spec, weights: weights) }
        #expect(refusal?.description == "\(weights) has no vocabulary (metadata nnspec_vocabulary): it was not saved by nnspec train from a text source")
        let classifier = try validatedSpec(path: repositoryRoot.appendingPathComponent("specs/training/mlp-random-classes.yaml").path)
        #expect(throws: TrainingError.self) { try TextSampler(spec: classifier, weights: weights) }
    }
}

/// A tied network stopped and resumed from its checkpoint gives the uninterrupted run's losses bit
/// for bit: the shared parameter and its Adam moments are restored once, under both of its names.
@Suite struct TiedCheckpointTests {
    @Test func resumedTiedRunGivesTheUninterruptedLosses() throws {
        let spec = repositoryRoot.appendingPathComponent("specs/valid/tied-weights.yaml").path
        let uninterrupted = try Trainer(spec: try validatedSpec(path: spec))
        let expected = LossRecorder()
        uninterrupted.observers = [expected]
        #expect(try uninterrupted.run() == .finished)

        let scratch = try ScratchDirectory()
        let first = try Trainer(spec: try validatedSpec(path: spec))
        let (interruption, recorder) = (InterruptFlag(), LossRecorder())
        (recorder.interruptAfterStep, recorder.interruption) = (2, interruption)
        (first.observers, first.interruption) = ([recorder], interruption)
        first.checkpoints = CheckpointPolicy(directory: scratch.path("run"), every: nil)
        #expect(try first.run() == .interrupted)
        let second = try Trainer(spec: try validatedSpec(path: spec))
        try Checkpoint(directory: scratch.path("run")).restore(into: second)
        let rest = LossRecorder()
        second.observers = [rest]
        #expect(try second.run() == .finished)
        #expect(expected.losses.count == 6)
        #expect((recorder.losses + rest.losses).map(\.bitPattern) == expected.losses.map(\.bitPattern))
    }
}
