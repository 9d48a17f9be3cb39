import NNTensor
import Testing
@testable import NN

/// Sequence networks through a `TrainingPlan` (Embedding, RNN/LSTM/GRU, Transpose, a Linear on
/// [N, T, F] and the per-position CrossEntropyLoss on [N, C, T]) train as through autograd, bit for bit.
@Suite("Training plan: sequences")
struct TrainingPlanSequenceTests {
    /// examples/names-lstm.yaml's network: token ids [N, 16] → Embedding(27, 32) → LSTM(32, 64,
    /// batch_first) → Linear(64, 27) → transpose to [N, 27, 16].
    static func namesLSTM(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            ("tok", try Embedding(numEmbeddings: 27, embeddingDim: 32, generator: &generator)),
            ("lstm", try RecurrentNetwork(cell: .lstm, inputSize: 32, hiddenSize: 64, batchFirst: true, generator: &generator)),
            ("head", try Linear(inFeatures: 64, outFeatures: 27, generator: &generator)),
            ("3", Transpose(dim0: 1, dim1: 2)),
        ])
    }

    /// Two stacked time-major GRU layers (the batch read as the steps) whose last step a Linear scores.
    static func stackedGRU(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            try Embedding(numEmbeddings: 11, embeddingDim: 6, paddingIdx: 0, generator: &generator),
            try RecurrentNetwork(cell: .gru, inputSize: 6, hiddenSize: 5, numLayers: 2, output: .last, generator: &generator),
            try Linear(inFeatures: 5, outFeatures: 4, generator: &generator),
        ])
    }

    /// Two plain RNN layers without biases on batch-first sequences, their final hidden state scored;
    /// the embedding's gradient scaled by frequency.
    static func finalStateRNN(_ generator: inout RandomGenerator) throws -> Module {
        try Sequential([
            try Embedding(numEmbeddings: 7, embeddingDim: 3, scaleGradByFreq: true, generator: &generator),
            try RecurrentNetwork(cell: .rnnTanh, inputSize: 3, hiddenSize: 8, numLayers: 2, bias: false, batchFirst: true,
                                 output: .hidden, generator: &generator),
            try Linear(inFeatures: 8, outFeatures: 3, generator: &generator),
        ])
    }

    func expectPlanMatchesAutograd(_ makeNetwork: (inout RandomGenerator) throws -> Module, vocabulary: Int, steps: Int, classes: Int,
                                   batch: Int, threads: Int, evaluation: Bool = false) throws {
        try TrainingPlanTests.expectPlanMatchesAutograd({ generator in
            let network = try makeNetwork(&generator)
            if evaluation { network.eval() }
            return network
        }, loss: try CrossEntropyLoss(), input: [steps], batch: batch, threads: threads,
           inputValue: { Float($0.index(below: vocabulary)) }) { data, output in
            .classes((0..<(output.elementCount / classes)).map { _ in data.index(below: classes) })
        }
    }

    @Test(arguments: [1, 16, 40], [1, 2])
    func namesLSTMTrainsAsAutograd(batch: Int, threads: Int) throws {
        try expectPlanMatchesAutograd(Self.namesLSTM, vocabulary: 27, steps: 16, classes: 27, batch: batch, threads: threads)
    }

    /// The planned step's loss and gradients are the same bits on one, two and three threads: the
    /// recurrences run in blocks of the batch's rows, one per thread (uneven at batch 7 and, for the
    /// time-major GRU, whose batch is the input's 16 positions, on three threads).
    @Test(arguments: [(network: 0, batch: 40), (1, 7), (2, 7)])
    func sequenceStepIsTheSameOnAnyThreadCount(network: Int, batch: Int) throws {
        let networks: [(make: (inout RandomGenerator) throws -> Module, vocabulary: Int, classes: Int)] =
            [(Self.namesLSTM, 27, 27), (Self.stackedGRU, 11, 4), (Self.finalStateRNN, 7, 3)]
        let (makeNetwork, vocabulary, classCount) = networks[network]
        let pool = WorkerPool.shared, savedThreads = pool.threadCount
        defer { pool.threadCount = savedThreads }
        let shape = [batch, 16]
        var data = RandomGenerator(seed: 11)
        let input = Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in Float(data.index(below: vocabulary)) })
        let results = try [1, 2, 3].map { threads in
            pool.threadCount = threads
            var generator = RandomGenerator(seed: 3)
            let network = try makeNetwork(&generator)
            let plan = try TrainingPlan(network: network, loss: try CrossEntropyLoss(), inputShape: shape)
            var targets = RandomGenerator(seed: 12)
            let classes = (0..<(plan.outputShape.elementCount / classCount)).map { _ in targets.index(below: classCount) }
            let loss = try plan.step(input, classes: classes)
            return (loss: loss, gradients: network.parameters().map { $0.grad })
        }
        #expect(results[0].gradients.allSatisfy { $0 != nil })
        for (index, result) in results.enumerated().dropFirst() {
            #expect(result.loss == results[0].loss, "\(index + 1) threads")
            #expect(result.gradients == results[0].gradients, "\(index + 1) threads")
        }
    }

    @Test(arguments: [1, 2])
    func stackedGRUTrainsAsAutograd(threads: Int) throws {
        try expectPlanMatchesAutograd(Self.stackedGRU, vocabulary: 11, steps: 5, classes: 4, batch: 3, threads: threads)
    }

    @Test(arguments: [false, true])
    func finalStateRNNTrainsAsAutograd(evaluation: Bool) throws {
        try expectPlanMatchesAutograd(Self.finalStateRNN, vocabulary: 7, steps: 4, classes: 3, batch: 5, threads: 1, evaluation: evaluation)
    }

    @Test func unplannedSequenceLayersAreRefused() throws {
        var generator = RandomGenerator(seed: 5)
        func refusal(_ layers: [Module]) throws -> String? {
            let (network, loss) = (try Sequential(layers), try CrossEntropyLoss())
            do {
                _ = try TrainingPlan(network: network, loss: loss, inputShape: [2, 3])
                return nil
            } catch {
                return error.description
            }
        }
        let embedding = try Embedding(numEmbeddings: 5, embeddingDim: 4, generator: &generator)
        let bidirectional = try RecurrentNetwork(cell: .lstm, inputSize: 4, hiddenSize: 2, batchFirst: true, bidirectional: true,
                                                 generator: &generator)
        #expect(try refusal([embedding, bidirectional])?.contains("bidirectional") == true)
        let dropout = try RecurrentNetwork(cell: .gru, inputSize: 4, hiddenSize: 2, numLayers: 2, batchFirst: true, dropout: 0.1,
                                           generator: &generator)
        let state = dropout.generator.state
        #expect(try refusal([embedding, dropout])?.contains("dropout") == true)
        #expect(dropout.generator.state == state)
        // Also in evaluation mode: the plan may run after train().
        dropout.eval()
        #expect(try refusal([embedding, dropout])?.contains("dropout") == true)
        let second = try Embedding(numEmbeddings: 4, embeddingDim: 2, generator: &generator)
        #expect(try refusal([try Linear(inFeatures: 3, outFeatures: 3, generator: &generator), second, Flatten()])?
            .contains("network's input") == true)
    }

    /// Token ids that are not whole numbers below num_embeddings throw autograd's error, changing nothing.
    @Test func badTokenIDsThrowAutogradsError() throws {
        var generator = RandomGenerator(seed: 6)
        let network = try Self.namesLSTM(&generator)
        let plan = try TrainingPlan(network: network, loss: try CrossEntropyLoss(), inputShape: [1, 16])
        var ids = Tensor(zeros: [1, 16])
        ids.scalars[3] = 27
        #expect(throws: NNError.invalidArgument(
            "Embedding: input element 3 is 27.0, not a token id in 0…26 (ids are whole numbers below num_embeddings)")) {
            try plan.forward(ids, classes: [Int](repeating: 0, count: 16))
        }
        #expect(throws: (any Error).self) { try network(Variable(ids)) }
    }
}
