import NNTensor

/// An Embedding layer reading the network's input (token ids) over planned buffers, through the
/// `EmbeddingRows` loops of autograd's `embedding`. input [*] ids → output [*, D]; weight [V, D].
/// The ids get no gradient.
struct PlannedEmbedding: PlannedLayer {
    let rows: EmbeddingRows
    let vocabulary: Int
    let paddingRow: Int?
    let weight: GradientSlot
    /// [V] working memory of `scale_grad_by_freq`; nil without it.
    let frequencies: UnsafeMutableBufferPointer<Int32>?

    init(_ layer: Embedding, input: [Int], memory: PlanMemory) {
        rows = EmbeddingRows(count: input.elementCount, width: layer.embeddingDim)
        vocabulary = layer.numEmbeddings
        paddingRow = layer.paddingIdx
        weight = GradientSlot(layer.weight)
        frequencies = layer.scaleGradByFreq ? UnsafeMutableBufferPointer(start: memory.indices(vocabulary), count: vocabulary) : nil
    }

    func checkNetworkInput(_ input: UnsafeBufferPointer<Float>) throws(NNError) {
        try checkTokenIDs(input, vocabulary: vocabulary)
    }

    func forward(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        weight.withValue { w in rows.gather(ids: input, table: w, output: output) }
    }

    func backward(input: UnsafePointer<Float>, output: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        weight.accumulate { dw in
            rows.accumulateGradient(ids: input, outputGradient: outputGradient, paddingRow: paddingRow, frequencies: frequencies,
                                    tableGradient: dw)
        }
    }
}
