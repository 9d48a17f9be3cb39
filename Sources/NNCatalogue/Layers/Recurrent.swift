import NN
import NNSpec
import NNTensor

/// `nn.RNN`, `nn.LSTM` and `nn.GRU`, with PyTorch's arguments, plus `output`: which part of
/// PyTorch's `(output, h_n)` the layer passes on (docs/spec-format.md, "Sequences").
struct RecurrentDefinition: BuildableLayer {
    let typeName: String
    /// Gate blocks per layer: 1, 4 or 3.
    let gateCount: Int
    /// The arguments between num_layers and bias (RNN's nonlinearity) and after bidirectional (LSTM's proj_size).
    let ownArguments: (afterLayers: [ArgumentSpec], last: [ArgumentSpec])
    let make: @Sendable (_ nonlinearity: String?) -> RecurrentCell

    static let rnn = RecurrentDefinition(
        typeName: "RNN", gateCount: 1,
        ownArguments: ([ArgumentSpec("nonlinearity", .choice(["tanh", "relu"]), default: .text("tanh"), "the cell's activation")], [])
    ) { $0 == "relu" ? .rnnReLU : .rnnTanh }
    static let lstm = RecurrentDefinition(
        typeName: "LSTM", gateCount: 4,
        ownArguments: ([], [ArgumentSpec("proj_size", .integer(.nonNegative), default: .integer(0), "projected hidden size (only 0)")])
    ) { _ in .lstm }
    static let gru = RecurrentDefinition(typeName: "GRU", gateCount: 3, ownArguments: ([], [])) { _ in .gru }

    var summary: String { "Runs \(typeName) cells over a sequence from the zero state; `output` picks the sequence, its last step or the final hidden state." }

    var arguments: [ArgumentSpec] {
        [
            ArgumentSpec("input_size", .integerOrAuto(.positive), "features per step (auto: the incoming last dimension)"),
            ArgumentSpec("hidden_size", .integer(.positive), "features of the hidden state"),
            ArgumentSpec("num_layers", .integer(.positive), default: .integer(1), "stacked recurrent layers"),
        ] + ownArguments.afterLayers + [
            ArgumentSpec("bias", .boolean, default: .boolean(true), "learn bias_ih and bias_hh"),
            ArgumentSpec("batch_first", .boolean, default: .boolean(false), "input [N, L, input_size] (a spec's must be true: its dimension 0 is N)"),
            ArgumentSpec("dropout", .real(.closedUnit), default: .real(0), "dropout on the outputs of each layer but the last"),
            ArgumentSpec("bidirectional", .boolean, default: .boolean(false), "a second, reversed direction per layer"),
        ] + ownArguments.last + [
            ArgumentSpec(
                "output", .choice(RecurrentOutput.allCases.map(\.rawValue)), default: .text("sequence"),
                "nnspec's: 'sequence' (output), 'last' (its last step) or 'hidden' (the last layer's h_n, directions joined)"),
        ]
    }

    let shapeRule = "[N, L, input_size] → [N, L, D·hidden_size] (sequence) or [N, D·hidden_size] (last, hidden); D = 2 if bidirectional"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        if check.arguments.integer("proj_size").map({ $0 != 0 }) == true {
            check.error("\(check.layerLabel) proj_size is not supported: nnspec's LSTM has no projection", argument: "proj_size",
                        hint: "remove proj_size, or add a Linear layer after the LSTM")
        }
        if let dropout = check.arguments.real("dropout"), dropout > 0, check.arguments.integer("num_layers") == 1 {
            check.warning(
                "\(check.layerLabel) dropout \(dropout) has no effect with num_layers 1: it applies between stacked layers",
                argument: "dropout", hint: "add a Dropout layer after the \(typeName), or set num_layers")
        }
        guard check.requireSequenceInput(feature: "input_size") else { return nil }
        guard let hidden = check.arguments.integer("hidden_size"), let bidirectional = check.arguments.boolean("bidirectional"),
            let output = check.arguments.text("output").flatMap(RecurrentOutput.init) else { return nil }
        let features = hidden * (bidirectional ? 2 : 1)
        let sample = output == .sequence ? [check.sample[0], features] : [features]
        return InferredShape(check.input.withSample(sample))
    }

    func parameters(_ arguments: Arguments) -> [ParameterShape] {
        guard let input = arguments.integer("input_size"), let hidden = arguments.integer("hidden_size"),
            let layers = arguments.integer("num_layers"), let bias = arguments.boolean("bias"),
            let bidirectional = arguments.boolean("bidirectional") else { return [] }
        let width = gateCount * hidden, directions = bidirectional ? ["", "_reverse"] : [""]
        return (0..<layers).flatMap { layer in
            directions.flatMap { suffix in
                let layerInput = layer == 0 ? input : hidden * directions.count
                let weights = [ParameterShape("weight_ih_l\(layer)\(suffix)", [width, layerInput]),
                               ParameterShape("weight_hh_l\(layer)\(suffix)", [width, hidden])]
                return weights + (bias ? [ParameterShape("bias_ih_l\(layer)\(suffix)", [width]), ParameterShape("bias_hh_l\(layer)\(suffix)", [width])] : [])
            }
        }
    }

    /// The weight products of every step: G·H·(input + H) per layer and direction.
    func multAdds(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let steps = input.first?.sampleSizes.first else { return 0 }
        let perStep = parameters(arguments).filter { $0.name.hasPrefix("weight") }.map { $0.elementCount ?? Int.max }
        return saturatingProduct([steps, saturatingSum(perStep)])
    }

    /// Per layer and direction each step's input projections, hidden state, saved gates (and LSTM's
    /// cell); per layer its joined output and dropout mask; the batch-first input's time-major copy.
    func savedElements(_ arguments: Arguments, input: [TensorShape], output: TensorShape) -> Int {
        guard let sample = input.first?.sampleSizes, sample.count == 2, let hidden = arguments.integer("hidden_size"),
            let layers = arguments.integer("num_layers"), let bidirectional = arguments.boolean("bidirectional") else { return 0 }
        let (steps, directions) = (sample[0], bidirectional ? 2 : 1)
        let blocks = gateCount + 1 + (gateCount == 1 ? 0 : 4) + (typeName == "LSTM" ? 1 : 0)
        return saturatingSum([saturatingProduct([layers, directions, steps, hidden, blocks]),
                              saturatingProduct([layers, 2, steps, directions, hidden]), saturatingProduct(sample)])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        if typeName == "LSTM" { try arguments.require("proj_size", is: .integer(0)) }
        let cell = make(typeName == "RNN" ? try arguments.text("nonlinearity") : nil)
        let (input, hidden, layers) = (try arguments.integer("input_size"), try arguments.integer("hidden_size"), try arguments.integer("num_layers"))
        let (bias, batchFirst, dropout) = (try arguments.boolean("bias"), try arguments.boolean("batch_first"), try arguments.real("dropout"))
        let bidirectional = try arguments.boolean("bidirectional")
        guard let output = RecurrentOutput(rawValue: try arguments.text("output")) else { throw arguments.failure("output is not a choice") }
        return try arguments.construct { () throws(NNError) in
            try RecurrentNetwork(cell: cell, inputSize: input, hiddenSize: hidden, numLayers: layers, bias: bias, batchFirst: batchFirst,
                                 dropout: dropout, bidirectional: bidirectional, output: output, generator: &generator)
        }
    }
}

extension RecurrentDefinition: ExportableLayer {
    /// A subclass of `nn.RNN`/`nn.LSTM`/`nn.GRU` under the same name (so it prints as PyTorch's),
    /// whose forward returns the one tensor nnspec's `output` picks.
    var pytorchClass: PyTorchClass {
        .own(typeName, definition: """
            class \(typeName)(nn.\(typeName)):
                \"\"\"nn.\(typeName) returning one tensor, as nnspec's: `output` picks the sequence, its last
                step, or the last layer's final hidden state with its directions joined.\"\"\"

                def __init__(self, *args, output="sequence", **kwargs):
                    super().__init__(*args, **kwargs)
                    self.output = output

                def forward(self, x):
                    sequence, state = super().forward(x)
                    if self.output == "last":
                        return sequence[:, -1] if self.batch_first else sequence[-1]
                    if self.output == "hidden":
                        hidden = state[0] if isinstance(state, tuple) else state
                        return torch.cat(list(hidden[-(2 if self.bidirectional else 1) :]), dim=1)
                    return sequence
            """)
    }
}

extension RecurrentDefinition: ONNXExportableLayer {
    /// ONNX's RNN, LSTM or GRU node per layer, time-major: the batch-first input transposed to
    /// [L, N, F], each layer's Y [L, D, N, H] joined to [L, N, D·H] for the next, then what `output`
    /// picks. PyTorch's weights are given in ONNX's gate order (rows gathered: LSTM i,f,g,o → i,o,f,c;
    /// GRU r,z,n → z,r,n with linear_before_reset, as PyTorch's n gate), both directions stacked.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let hidden = graph.arguments.integer("hidden_size") ?? 1, layers = graph.arguments.integer("num_layers") ?? 1
        let bidirectional = graph.arguments.boolean("bidirectional") == true, bias = graph.arguments.boolean("bias") == true
        let suffixes = bidirectional ? ["", "_reverse"] : [""]
        let blocks = typeName == "LSTM" ? [0, 3, 1, 2] : typeName == "GRU" ? [1, 0, 2] : [0]
        let order = graph.constant("gate_order", integers: blocks.flatMap { block in (block * hidden)..<((block + 1) * hidden) })
        var attributes: [(String, ONNXAttribute)] = [("hidden_size", .integer(hidden)),
                                                    ("direction", .text(bidirectional ? "bidirectional" : "forward"))]
        if typeName == "GRU" { attributes.append(("linear_before_reset", .integer(1))) }
        if typeName == "RNN" {
            let activation = graph.arguments.text("nonlinearity") == "relu" ? "Relu" : "Tanh"
            attributes.append(("activations", .texts(Array(repeating: activation, count: suffixes.count))))
        }
        let axis = graph.constant("axis_0", integers: [0]), joined = graph.constant("joined_shape", integers: [0, 0, -1])
        var sequence = graph.node("Transpose", [graph.input], [("perm", .integers([1, 0, 2]))], to: "time_major")
        var finalHidden = ""
        for layer in 0..<layers {
            /// A parameter of every direction in ONNX's gate order, stacked: [D, rows, columns].
            func stacked(_ name: String) -> String {
                let parts = suffixes.map { suffix in
                    let gathered = graph.node("Gather", [graph.parameter("\(name)_l\(layer)\(suffix)"), order], [("axis", .integer(0))],
                                              to: "\(name)_l\(layer)\(suffix)_onnx")
                    return graph.node("Unsqueeze", [gathered, axis], to: "\(name)_l\(layer)\(suffix)_unsqueezed")
                }
                return parts.count == 1 ? parts[0] : graph.node("Concat", parts, [("axis", .integer(0))], to: "\(name)_l\(layer)_stacked")
            }
            var inputs = [sequence, stacked("weight_ih"), stacked("weight_hh")]
            if bias {
                inputs.append(graph.node("Concat", [stacked("bias_ih"), stacked("bias_hh")], [("axis", .integer(1))], to: "bias_l\(layer)"))
            }
            let outputs = graph.node(typeName, inputs, attributes, outputs: ["y_l\(layer)", "h_l\(layer)"])
            finalHidden = outputs[1]
            let steps = graph.node("Transpose", [outputs[0]], [("perm", .integers([0, 2, 1, 3]))], to: "y_l\(layer)_steps")
            sequence = graph.node("Reshape", [steps, joined], to: "sequence_l\(layer)")
        }
        switch graph.arguments.text("output") {
        case "last"?:
            let length = graph.layer.inputShapes[0].sampleSizes.first ?? 1
            let last = graph.node("Gather", [sequence, graph.constant("last_step", integers: [length - 1])], [("axis", .integer(0))], to: "last")
            graph.node("Squeeze", [last, axis])
        case "hidden"?:
            let batchMajor = graph.node("Transpose", [finalHidden], [("perm", .integers([1, 0, 2]))], to: "hidden_batch_major")
            graph.node("Reshape", [batchMajor, graph.constant("hidden_shape", integers: [0, -1])])
        default:
            graph.node("Transpose", [sequence], [("perm", .integers([1, 0, 2]))])
        }
    }
}
