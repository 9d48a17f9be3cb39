import NNTensor

/// What a recurrent layer passes on from PyTorch's `(output, h_n)` (a choice of the spec, not of
/// PyTorch's module, which returns the tuple).
public enum RecurrentOutput: String, Sendable, CaseIterable {
    /// `output`: every step's last-layer hidden state, [N, L, D·H] (batch_first) or [L, N, D·H].
    case sequence
    /// `output[:, -1]` (batch_first) or `output[-1]`: the last step's, [N, D·H].
    case last
    /// The last layer's final hidden states, directions concatenated: `h_n[-1]`, or
    /// `torch.cat([h_n[-2], h_n[-1]], 1)` when bidirectional; [N, D·H].
    case hidden
}

/// PyTorch's RNN, LSTM and GRU (`nn.RNNBase`): `numLayers` stacked layers, each one or two
/// directions, from the zero initial state. input [N, L, input_size] (batchFirst) or
/// [L, N, input_size] → what `output` selects.
/// Parameters per layer k and direction (suffix `_reverse` for the second): weight_ih_lk
/// [G·H, input of layer k], weight_hh_lk [G·H, H], bias_ih_lk and bias_hh_lk [G·H], all ~ U(±1/√H);
/// G = 1, 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n). Dropout follows every layer but the last, in training.
public final class RecurrentNetwork: Module {
    public let cell: RecurrentCell
    public let inputSize: Int, hiddenSize: Int, numLayers: Int
    public let bias: Bool, batchFirst: Bool, bidirectional: Bool
    public let dropout: Double
    public let output: RecurrentOutput
    /// Per layer, per direction: weight_ih, weight_hh, bias_ih, bias_hh.
    private(set) var weights: [[(ih: Variable, hh: Variable, biasIH: Variable?, biasHH: Variable?)]] = []
    /// The generator of the dropout between layers; a training checkpoint saves and restores it.
    public var generator: RandomGenerator

    public init(cell: RecurrentCell, inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true,
                batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false, output: RecurrentOutput = .sequence,
                generator: inout RandomGenerator) throws(NNError) {
        let kind = Self.name(of: cell)
        try requirePositive([("input_size", inputSize), ("hidden_size", hiddenSize), ("num_layers", numLayers)], in: kind)
        guard (0...1).contains(dropout) else {
            throw .invalidArgument("\(kind): dropout should be a number in range [0, 1] representing the probability of an element being zeroed, but got \(dropout)")
        }
        (self.cell, self.inputSize, self.hiddenSize, self.numLayers) = (cell, inputSize, hiddenSize, numLayers)
        (self.bias, self.batchFirst, self.dropout, self.bidirectional, self.output) = (bias, batchFirst, dropout, bidirectional, output)
        self.generator = RandomGenerator(seed: generator.next())
        super.init()
        let (width, bound) = (cell.gateCount * hiddenSize, 1 / Float(hiddenSize).squareRoot())
        for layer in 0..<numLayers {
            let layerInput = layer == 0 ? inputSize : hiddenSize * directionCount
            weights.append((0..<directionCount).map { direction in
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                func parameter(_ name: String, _ shape: [Int]) -> Variable {
                    let variable = Variable(Initializer.uniform(shape: shape, bound: bound, generator: &generator), requiresGrad: true)
                    registerParameter(name + suffix, variable)
                    return variable
                }
                let ih = parameter("weight_ih", [width, layerInput]), hh = parameter("weight_hh", [width, hiddenSize])
                let biases = bias ? (parameter("bias_ih", [width]), parameter("bias_hh", [width])) : nil
                return (ih, hh, biases?.0, biases?.1)
            })
        }
    }

    /// PyTorch's class name for `cell`.
    static func name(of cell: RecurrentCell) -> String {
        switch cell {
        case .rnnTanh, .rnnReLU: "RNN"
        case .lstm: "LSTM"
        case .gru: "GRU"
        }
    }

    public var directionCount: Int { bidirectional ? 2 : 1 }

    override public var typeName: String { Self.name(of: cell) }

    /// As `RNNBase.extra_repr`: only the arguments that differ from their defaults (RNN's
    /// nonlinearity is never printed).
    override public var extraDescription: String {
        var text = "\(inputSize), \(hiddenSize)"
        if numLayers != 1 { text += ", num_layers=\(numLayers)" }
        if !bias { text += ", bias=False" }
        if batchFirst { text += ", batch_first=True" }
        if dropout != 0 { text += ", dropout=\(PythonRepr.float(dropout))" }
        if bidirectional { text += ", bidirectional=True" }
        return text
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        guard input.shape.count == 3, input.shape[2] == inputSize else {
            let layout = batchFirst ? "[N, L, \(inputSize)]" : "[L, N, \(inputSize)]"
            throw .shapeMismatch("\(typeName): expected input \(layout) but got \(input.shape)")
        }
        var sequence = batchFirst ? try swapLeadingAxes(input) : input
        var finals: [Variable] = []
        for (layer, directions) in weights.enumerated() {
            if layer > 0, isTraining, dropout > 0 {
                sequence = NN.dropout(sequence, probability: Float(dropout), generator: &generator)
            }
            let outputs = try directions.enumerated().map { (direction, weight) throws(NNError) in
                try recurrentLayer(sequence, cell: cell, weightIH: weight.ih, weightHH: weight.hh, biasIH: weight.biasIH,
                                   biasHH: weight.biasHH, reverse: direction == 1)
            }
            sequence = outputs.count == 1 ? outputs[0] : try concatenate(outputs, dim: 2)
            finals = outputs
        }
        let steps = sequence.shape[0]
        switch output {
        case .sequence:
            return batchFirst ? try swapLeadingAxes(sequence) : sequence
        case .last:
            return try select(sequence, index: steps - 1)
        case .hidden:
            let states = try finals.enumerated().map { (direction, states) throws(NNError) in
                try select(states, index: direction == 1 ? 0 : steps - 1)
            }
            return states.count == 1 ? states[0] : try concatenate(states, dim: 1)
        }
    }
}
