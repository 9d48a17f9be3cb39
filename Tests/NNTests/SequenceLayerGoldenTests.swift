import NN
import NNTensor
import Testing

/// make_reference.py's SEQUENCE_LAYERS: with PyTorch's parameters loaded by name, each layer must
/// reproduce PyTorch's output and, after `backward(gradient:)` with the given output gradient, its
/// input gradient (not for Embedding's ids) and parameter gradients; a recurrent layer's `hidden`
/// output must be PyTorch's h_n of the last layer, directions joined.
@Suite struct SequenceLayerGoldenTests {
    static let cases = [
        "embedding", "embedding_padding_scaled", "rnn_tanh_batch_first", "rnn_relu_two_layers", "lstm_batch_first",
        "lstm_two_layers_bidirectional", "gru_batch_first", "gru_bidirectional_no_bias",
    ]

    /// The layer the case's configuration describes (parameters loaded afterwards).
    static func makeLayer(_ config: ReferenceConfig, recurrentOutput: RecurrentOutput = .sequence) throws -> Module {
        var generator = RandomGenerator(seed: 0)
        func int(_ key: String) throws -> Int { try #require(config.int(key), "\(key)") }
        if config.type == "Embedding" {
            return try Embedding(numEmbeddings: int("num_embeddings"), embeddingDim: int("embedding_dim"),
                                 paddingIdx: config.int("padding_idx"), scaleGradByFreq: config.bool("scale_grad_by_freq") ?? false,
                                 generator: &generator)
        }
        let cell: RecurrentCell = switch config.type {
        case "LSTM": .lstm
        case "GRU": .gru
        default: config.string("nonlinearity") == "relu" ? .rnnReLU : .rnnTanh
        }
        return try RecurrentNetwork(cell: cell, inputSize: int("input_size"), hiddenSize: int("hidden_size"),
                                    numLayers: config.int("num_layers") ?? 1, bias: config.bool("bias") ?? true,
                                    batchFirst: config.bool("batch_first") ?? false, bidirectional: config.bool("bidirectional") ?? false,
                                    output: recurrentOutput, generator: &generator)
    }

    /// `layer` with the case's PyTorch parameters; their names must be PyTorch's.
    static func loaded(_ layer: Module, _ file: SafetensorsFile, _ name: String) throws -> Module {
        let prefix = "\(name).param."
        let state = file.tensors.filter { $0.name.hasPrefix(prefix) }
        #expect(layer.stateDictionary().map(\.name).sorted() == state.map { String($0.name.dropFirst(prefix.count)) }.sorted(),
                "\(name): state names")
        for named in state { try layer.load(named.tensor, into: String(named.name.dropFirst(prefix.count))) }
        return layer
    }

    @Test(arguments: cases)
    func forwardAndBackwardMatchPyTorch(_ name: String) throws {
        let file = try Reference.load("layers.safetensors")
        let config = try ReferenceConfig(file, name)
        let layer = try Self.loaded(try Self.makeLayer(config), file, name)
        let isEmbedding = config.type == "Embedding"
        let input = Variable(try file.tensor(named: "\(name).input"), requiresGrad: !isEmbedding)
        let output = try layer(input)
        expectClose(output.value, try file.tensor(named: "\(name).output"), "\(name) output")
        try output.backward(gradient: try file.tensor(named: "\(name).grad_output"))
        if !isEmbedding {
            expectClose(try #require(input.grad), try file.tensor(named: "\(name).grad_input"), "\(name) input gradient")
        }
        for (parameterName, parameter) in layer.namedParameters() {
            expectClose(try #require(parameter.grad, "\(name): no gradient for \(parameterName)"),
                        try file.tensor(named: "\(name).grad.\(parameterName)"), "\(name) gradient of \(parameterName)")
        }
    }

    @Test(arguments: cases.filter { !$0.hasPrefix("embedding") })
    func hiddenOutputIsTheLastLayersHN(_ name: String) throws {
        let file = try Reference.load("layers.safetensors")
        let config = try ReferenceConfig(file, name)
        let layer = try Self.loaded(try Self.makeLayer(config, recurrentOutput: .hidden), file, name)
        let output = try noGrad { try layer(Variable(try file.tensor(named: "\(name).input"))) }
        let hN = try file.tensor(named: "\(name).h_n")  // [layers·D, N, H]
        let directions = config.bool("bidirectional") == true ? 2 : 1
        let (batch, hidden) = (hN.shape[1], hN.shape[2])
        let lastLayer = Array(hN.scalars.suffix(directions * batch * hidden))
        var expected = [Float]()
        for row in 0..<batch {
            for direction in 0..<directions {
                expected += lastLayer[((direction * batch + row) * hidden)..<((direction * batch + row + 1) * hidden)]
            }
        }
        expectClose(output.value, Tensor(shape: [batch, directions * hidden], scalars: expected), "\(name) hidden")
    }

    @Test func lastOutputIsTheSequencesLastStep() throws {
        let name = "lstm_batch_first"
        let file = try Reference.load("layers.safetensors")
        let layer = try Self.loaded(try Self.makeLayer(try ReferenceConfig(file, name), recurrentOutput: .last), file, name)
        let output = try noGrad { try layer(Variable(try file.tensor(named: "\(name).input"))) }
        let sequence = try file.tensor(named: "\(name).output")  // [N, L, H]
        let (steps, hidden) = (sequence.shape[1], sequence.shape[2])
        var expected = [Float]()
        for row in 0..<sequence.shape[0] {
            let start = (row * steps + steps - 1) * hidden
            expected += sequence.scalars[start..<(start + hidden)]
        }
        expectClose(output.value, Tensor(shape: [sequence.shape[0], hidden], scalars: expected), "\(name) last")
    }
}
