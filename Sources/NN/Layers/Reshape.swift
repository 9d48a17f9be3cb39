import NNTensor

/// Views each sample with another shape, keeping the batch dimension, as PyTorch code's
/// `x.reshape(x.size(0), *shape)`; one size may be −1 and is inferred.
/// input [N, *] → output [N, shape…], the same number of elements per sample.
///
/// PyTorch has no `nn.Reshape` class: this prints as the module nnspec's reference script
/// (tools/torch_print.py) defines, `Reshape(shape=(10, -1))`.
public final class Reshape: Module {
    /// The per-sample sizes, without the batch dimension; at most one −1.
    public let shape: [Int]

    public init(shape: [Int]) throws(NNError) {
        guard !shape.isEmpty else { throw .invalidArgument("Reshape: shape must name at least one size") }
        if let bad = shape.first(where: { $0 < -1 }) {
            throw .invalidArgument("Reshape: shape \(shape) has the invalid size \(bad) (sizes are ≥ 0, or -1 for one inferred size)")
        }
        guard shape.filter({ $0 == -1 }).count <= 1 else {
            throw .invalidArgument("Reshape: shape \(shape) may hold only one -1")
        }
        self.shape = shape
        super.init()
    }

    override public var extraDescription: String { "shape=\(PythonRepr.tuple(shape))" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        guard let batch = input.shape.first else {
            throw .shapeMismatch("Reshape to \(shape) needs an input with a batch dimension but got shape \(input.shape)")
        }
        let sampleElements = input.shape.dropFirst().reduce(1, *)
        var sampleShape = shape
        if let wildcard = shape.firstIndex(of: -1) {
            let known = shape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, sampleElements % known == 0 else {
                throw .shapeMismatch("Reshape cannot view samples of \(Array(input.shape.dropFirst())) (\(sampleElements) elements) as \(shape)")
            }
            sampleShape[wildcard] = sampleElements / known
        } else if shape.elementCount != sampleElements {
            throw .shapeMismatch("Reshape to \(shape) (\(shape.elementCount) elements per sample) got input \(input.shape) (\(sampleElements) per sample)")
        }
        return try reshape(input, to: [batch] + sampleShape)
    }
}
