import NNTensor

/// An RNN, LSTM or GRU over planned buffers, through the `RecurrentShape` loops of autograd's
/// `recurrentLayer`: one direction, its layers stacked without dropout between them.
/// input [N, T, I] (batch_first) or [T, N, I] → what the module's `output` selects: the last
/// layer's hidden states [N, T, H] or [T, N, H], or the last step's [N, H].
/// Per layer k: weight_ih [G·H, I or H], weight_hh [G·H, H], bias_ih and bias_hh [G·H].
struct PlannedRecurrent: PlannedLayer {
    /// One stacked layer: its sizes, parameters and the buffers of its pass (time-major).
    struct Layer {
        let shape: RecurrentShape
        let weightIH: GradientSlot, weightHH: GradientSlot, biasIH: GradientSlot?, biasHH: GradientSlot?
        /// Input projections (their gradients in the backward pass), output [T, N, H], cells, saved gates.
        let storage: RecurrentStorage
    }

    let layers: [Layer]
    let batchFirst: Bool
    let selection: RecurrentOutput
    /// batch_first's swaps: the input [N, T, I] → [T, N, I] and its gradient back, the output
    /// [T, N, H] → [N, T, H] and its gradient back.
    let inputSwap: DimensionSwap, inputGradientSwap: DimensionSwap, outputSwap: DimensionSwap, outputGradientSwap: DimensionSwap
    /// The first layer's input [T, N, I] (batch_first: the swapped network input; else the input itself).
    let timeMajorInput: UnsafeMutablePointer<Float>?
    /// Working memory: GRU's recurrent gate gradients [T·N, G·H]; the layers' forward and backward
    /// workspaces (`RecurrentShape`), one buffer, since no pass runs while another does.
    let recurrentGates: UnsafeMutablePointer<Float>?
    let workspace: UnsafeMutablePointer<Float>
    /// Gradients of a layer's output and of its input [T, N, H] (both for stacked layers), and of
    /// the first layer's input [T, N, I] (batch_first).
    let sequenceGradients: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>), inputSequenceGradient: UnsafeMutablePointer<Float>?

    /// Throws for what is not planned: two directions, or dropout between layers, in either mode (a
    /// plan made in evaluation mode may run after `train()`); checked before anything runs the layer,
    /// whose dropout would draw.
    static func checkPlanned(_ network: RecurrentNetwork) throws(TrainingPlanError) {
        guard !network.bidirectional else { throw .unsupported("a bidirectional \(network.typeName) is not planned") }
        guard network.numLayers == 1 || network.dropout == 0 else {
            throw .unsupported("\(network.typeName) with dropout between layers is not planned")
        }
    }

    /// `network` (which `checkPlanned` accepted) on `input`, which its forward pass accepted.
    init(_ network: RecurrentNetwork, input: [Int], memory: PlanMemory) {
        let (steps, batch) = network.batchFirst ? (input[1], input[0]) : (input[0], input[1])
        let (cell, hidden) = (network.cell, network.hiddenSize)
        let width = cell.gateCount * hidden, rows = steps * batch
        layers = network.weights.map { $0[0] }.enumerated().map { (index, weights) in
            let shape = RecurrentShape(cell: cell, steps: steps, batch: batch, inputSize: index == 0 ? network.inputSize : hidden,
                                       hidden: hidden, reverse: false)
            return Layer(shape: shape, weightIH: GradientSlot(weights.ih), weightHH: GradientSlot(weights.hh),
                         biasIH: weights.biasIH.map(GradientSlot.init), biasHH: weights.biasHH.map(GradientSlot.init),
                         storage: RecurrentStorage(inputProjection: memory.floats(rows * width), output: memory.floats(rows * hidden),
                                                   cells: cell == .lstm ? memory.floats(rows * hidden) : nil,
                                                   saved: cell.savedCount > 0 ? memory.floats(rows * cell.savedCount * hidden) : nil))
        }
        batchFirst = network.batchFirst
        selection = network.output
        inputSwap = DimensionSwap(shape: input, 0, 1)
        inputGradientSwap = DimensionSwap(shape: [steps, batch, network.inputSize], 0, 1)
        outputSwap = DimensionSwap(shape: [steps, batch, hidden], 0, 1)
        outputGradientSwap = DimensionSwap(shape: [batch, steps, hidden], 0, 1)
        timeMajorInput = batchFirst ? memory.floats(input.elementCount) : nil
        recurrentGates = cell == .gru ? memory.floats(rows * width) : nil
        workspace = memory.floats(layers.map { max($0.shape.forwardWorkspaceCount, $0.shape.backwardWorkspaceCount) }.max()!)
        sequenceGradients = (memory.floats(rows * hidden), memory.floats(network.numLayers > 1 ? rows * hidden : 0))
        inputSequenceGradient = batchFirst ? memory.floats(input.elementCount) : nil
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        if let timeMajorInput { inputSwap.apply(input, into: timeMajorInput) }
        var sequence = timeMajorInput.map { UnsafePointer($0) } ?? input
        for layer in layers {
            layer.weightIH.withValue { wih in
                layer.weightHH.withValue { whh in
                    layer.biasIH.withValueIfPresent { bih in
                        layer.biasHH.withValueIfPresent { bhh in
                            layer.shape.forward(x: sequence, weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh, storage: layer.storage,
                                                workspace: workspace)
                        }
                    }
                }
            }
            sequence = UnsafePointer(layer.storage.output!)
        }
        let shape = layers[0].shape
        switch selection {
        case .sequence where batchFirst: outputSwap.apply(sequence, into: output)
        case .sequence: output.update(from: sequence, count: shape.rows * shape.hidden)
        case .last, .hidden: output.update(from: sequence + (shape.steps - 1) * shape.batch * shape.hidden, count: shape.batch * shape.hidden)
        }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        let shape = layers[0].shape, block = shape.batch * shape.hidden
        var (dy, dx) = sequenceGradients
        switch selection {
        case .sequence where batchFirst: outputGradientSwap.apply(outputGradient, into: dy)
        case .sequence: dy.update(from: outputGradient, count: shape.rows * shape.hidden)
        case .last, .hidden:
            // Autograd's select: zeros but at the last step.
            dy.update(repeating: 0, count: (shape.steps - 1) * block)
            (dy + (shape.steps - 1) * block).update(from: outputGradient, count: block)
        }
        for (index, layer) in layers.enumerated().reversed() {
            let layerInput = index > 0 ? UnsafePointer(layers[index - 1].storage.output!) : timeMajorInput.map { UnsafePointer($0) } ?? input
            let layerInputGradient = index > 0 ? dx : inputGradient.map { inputSequenceGradient ?? $0 }
            backward(layer, input: layerInput, outputGradient: dy, inputGradient: layerInputGradient)
            (dy, dx) = (dx, dy)
        }
        if let inputGradient, let inputSequenceGradient { inputGradientSwap.apply(inputSequenceGradient, into: inputGradient) }
    }

    /// One layer's backward pass, as autograd's recurrent operation: x [T, N, I], dy [T, N, H], dx [T, N, I]
    /// (written; nil when the input needs no gradient).
    private func backward(_ layer: Layer, input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                          inputGradient dx: UnsafeMutablePointer<Float>?) {
        let (shape, gates) = (layer.shape, UnsafePointer(layer.storage.inputProjection!))
        layer.weightHH.withValue { w in
            shape.backThroughTime(outputGradient: dy, weightHH: w, storage: layer.storage, recurrentGates: recurrentGates,
                                  workspace: workspace)
        }
        let linear = shape.inputLinear
        // GRU's recurrent projections have their own gradients; RNN's and LSTM's are the input projections'.
        let hiddenGates = recurrentGates.map { UnsafePointer($0) } ?? gates
        if recurrentGates == nil, let biasIH = layer.biasIH, let biasHH = layer.biasHH, biasIH.parameter !== biasHH.parameter {
            biasIH.accumulate { dbIH in
                biasHH.accumulate { dbHH in shape.accumulateSharedBiasGradients(gates: gates, inputBias: dbIH, recurrentBias: dbHH) }
            }
        } else {
            layer.biasIH?.accumulate { db in linear.accumulateBiasGradient(dy: gates, db: db) }
            layer.biasHH?.accumulate { db in shape.accumulateRecurrentBiasGradient(gates: hiddenGates, db: db) }
        }
        if let dx { layer.weightIH.withValue { w in linear.inputGradient(w: w, dy: gates, dx: dx) } }
        layer.weightIH.accumulate { dw in linear.accumulateWeightGradient(x: x, dy: gates, dw: dw) }
        guard shape.steps > 1 else { return }
        layer.weightHH.accumulate { dw in shape.accumulateRecurrentWeightGradient(gates: hiddenGates, output: layer.storage.output!, dw: dw) }
    }
}
