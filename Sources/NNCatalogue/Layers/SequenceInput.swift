import NNSpec

extension ShapeCheck {
    /// The rule every sequence layer shares: each input is [N, L, features] and `batch_first` is true
    /// (PyTorch's default, false, reads [L, N, ·], but a spec's dimension 0 is the batch); `feature`
    /// (input_size, embed_dim, d_model) is checked against, or inferred from, the first input's last
    /// size, and the other inputs (a decoder's memory) must have as many features.
    /// Returns false when the rank is wrong (nothing more can be checked).
    mutating func requireSequenceInput(feature: String) -> Bool {
        guard requireRank([3], layout: "[N, L, \(feature)]") else { return false }
        if arguments.boolean("batch_first") != true {
            error(
                "\(layerLabel) with batch_first false reads [L, N, \(feature)], but \(input) \(source()) has the batch first",
                argument: "batch_first", hint: "write `batch_first: true`")
        }
        let size = infer(feature, from: 1)
        for index in flows.indices.dropFirst() where flows[index].shape.sampleSizes[1] != size {
            error(
                "\(layerLabel) input \(index + 1) must have \(feature) \(size) features but receives \(received(index, sampleDimension: 1)) \(source(index))",
                hint: "project it to \(size) features, e.g. with a Linear layer")
        }
        return true
    }
}
