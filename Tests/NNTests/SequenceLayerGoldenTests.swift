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
        "lstm_two_layers_bidirectional", "gru_batch_first", "gru_bidirectional_no_bias", "mha_batch_first", "mha_causal_no_bias",
        "encoder_layer", "encoder_layer_norm_first_gelu_causal", "decoder_layer_causal", "decoder_layer_norm_first",
        "learned_positional_embedding", "encoder_stack_norm",
    ]
    static let recurrentCases = cases.filter { name in ["rnn", "lstm", "gru"].contains { name.hasPrefix($0) } }

    /// The layer the case's configuration describes (parameters loaded afterwards).
    static func makeLayer(_ config: ReferenceConfig, recurrentOutput: RecurrentOutput = .sequence) throws -> Module {
        var generator = RandomGenerator(seed: 0)
        func int(_ key: String) throws -> Int { try #require(config.int(key), "\(key)") }
        let batchFirst = config.bool("batch_first") ?? false, causal = config.bool("causal") ?? false
        switch config.type {
        case "Embedding":
            return try Embedding(numEmbeddings: int("num_embeddings"), embeddingDim: int("embedding_dim"),
                                 paddingIdx: config.int("padding_idx"), scaleGradByFreq: config.bool("scale_grad_by_freq") ?? false,
                                 generator: &generator)
        case "LearnedPositionalEmbedding":
            return try LearnedPositionalEmbedding(maxLen: int("max_len"), embeddingDim: int("embedding_dim"), generator: &generator)
        case "MultiheadAttention":
            return try MultiheadAttention(embedDim: int("embed_dim"), numHeads: int("num_heads"), bias: config.bool("bias") ?? true,
                                          batchFirst: batchFirst, causal: causal, generator: &generator)
        case "TransformerEncoderLayer", "TransformerDecoderLayer":
            let options = TransformerOptions(
                dModel: try int("d_model"), nhead: try int("nhead"), dimFeedforward: try int("dim_feedforward"),
                dropout: try #require(config.double("dropout")),
                activation: try #require(TransformerActivation(rawValue: config.string("activation") ?? "relu")),
                layerNormEps: config.double("layer_norm_eps") ?? 1e-5, batchFirst: batchFirst,
                normFirst: config.bool("norm_first") ?? false, bias: config.bool("bias") ?? true, causal: causal)
            return config.type == "TransformerEncoderLayer" ? try TransformerEncoderLayer(options, generator: &generator)
                : try TransformerDecoderLayer(options, generator: &generator)
        case "TransformerEncoder":
            let layer = ReferenceConfig(values: try #require(config.values["encoder_layer"] as? [String: Any]))
            let norm = ReferenceConfig(values: try #require(config.values["norm"] as? [String: Any]))
            return try TransformerEncoder(layers: (0..<int("num_layers")).map { _ in try makeLayer(layer) },
                                          norm: LayerNorm(normalizedShape: try #require(norm.ints("normalized_shape"))))
        default: break
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
        let hasMemory = file.tensors.contains { $0.name == "\(name).memory" }
        let memory = hasMemory ? Variable(try file.tensor(named: "\(name).memory"), requiresGrad: true) : nil
        let output = try layer([input] + (memory.map { [$0] } ?? []))
        expectClose(output.value, try file.tensor(named: "\(name).output"), "\(name) output")
        try output.backward(gradient: try file.tensor(named: "\(name).grad_output"))
        if !isEmbedding {
            expectClose(try #require(input.grad), try file.tensor(named: "\(name).grad_input"), "\(name) input gradient")
        }
        if let memory {
            expectClose(try #require(memory.grad), try file.tensor(named: "\(name).grad_memory"), "\(name) memory gradient")
        }
        for (parameterName, parameter) in layer.namedParameters() {
            expectClose(try #require(parameter.grad, "\(name): no gradient for \(parameterName)"),
                        try file.tensor(named: "\(name).grad.\(parameterName)"), "\(name) gradient of \(parameterName)")
        }
    }

    @Test(arguments: recurrentCases)
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
