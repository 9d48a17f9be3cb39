import NNTensor

/// How `TrainingPlan` plans the attention modules as chains of planned layers, in the order their
/// forward passes run their operations.
extension TrainingPlan {
    /// A planned layer with its output shape.
    typealias ShapedLayer = (layer: any PlannedLayer, output: [Int])

    /// `attention`'s self-attention on `input` [N, L, E] or [L, N, E] (checked without running it,
    /// whose dropout would draw): in_proj, the attention, out_proj. → [the input's shape].
    static func plannedSelfAttention(_ attention: MultiheadAttention, input: [Int],
                                     memory: PlanMemory) throws(TrainingPlanError) -> PlannedChain {
        do { try attention.checkSequence(input) } catch { throw .unsupported(error.description) }
        let (rows, width) = (input[0] * input[1], attention.embedDim)
        let shape = attention.attentionShape(query: input, key: input, causal: attention.causal)
        return PlannedChain([
            (PlannedLinear(weight: attention.inProjWeight, bias: attention.inProjBias, rows: rows), [rows, 3 * width]),
            (PlannedAttention(attention, shape: shape, memory: memory), [rows, width]),
            (PlannedLinear(attention.outProj, input: [rows, width]), input),
        ], memory: memory)
    }

    /// `layer` on `input` (checked as its self-attention checks it): the self-attention block and
    /// the feed-forward block, each with its residual and norm, its dropouts as autograd applies
    /// them (none with p = 0). → [the input's shape].
    static func plannedTransformerLayer(_ layer: TransformerEncoderLayer, input: [Int],
                                        memory: PlanMemory) throws(TrainingPlanError) -> PlannedChain {
        let (options, feedForward) = (layer.options, layer.feedForward)
        let attention = try plannedSelfAttention(layer.selfAttention, input: input, memory: memory)
        let hidden = Array(input.dropLast()) + [options.dimFeedforward]
        func dropout(_ dropout: Dropout, _ shape: [Int]) -> [ShapedLayer] {
            guard dropout.p > 0 else { return [] }
            return [(PlannedDropout(layer: dropout, count: shape.elementCount, mask: memory.floats(shape.elementCount)), shape)]
        }
        func residual(_ layers: [ShapedLayer], norm: LayerNorm) -> ShapedLayer {
            let norm = PlannedLayerNorm(norm, input: input, memory: memory)
            let block = PlannedChain(options.normFirst ? [(norm, input)] + layers : layers, memory: memory)
            return (PlannedResidualBlock(block, normAfter: options.normFirst ? nil : norm, count: input.elementCount, memory: memory), input)
        }
        let feedForwardLayers: [ShapedLayer] = [(PlannedLinear(feedForward.linear1, input: input), hidden),
                                                (PlannedActivation(function: feedForward.activation, count: hidden.elementCount), hidden)]
            + dropout(feedForward.dropout, hidden) + [(PlannedLinear(feedForward.linear2, input: hidden), input)] + dropout(layer.dropout2, input)
        return PlannedChain([residual([(attention, input)] + dropout(layer.dropout1, input), norm: layer.norm1),
                             residual(feedForwardLayers, norm: layer.norm2)], memory: memory)
    }

    /// `encoder`'s layers and its norm in turn, each planned as on its own, on `input`.
    static func plannedEncoder(_ encoder: TransformerEncoder, input: [Int], memory: PlanMemory) throws(TrainingPlanError) -> ShapedLayer {
        var layers: [ShapedLayer] = [], shape = input
        for module in encoder.layers + (encoder.norm.map { [$0] } ?? []) {
            let planned = try plannedLayer(module, input: shape, memory: memory)
            guard !planned.layer.addsIntoInputGradient else { throw .unsupported("\(module.typeName) inside a TransformerEncoder is not planned") }
            layers.append(planned)
            shape = planned.output
        }
        return (PlannedChain(layers, memory: memory), shape)
    }
}
