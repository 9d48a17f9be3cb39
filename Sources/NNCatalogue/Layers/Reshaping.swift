import NN
import NNSpec
import NNTensor

/// `nn.Flatten(start_dim=1, end_dim=-1)`: merges dimensions start_dim…end_dim into one.
struct FlattenDefinition: ExportableLayer {
    let typeName = "Flatten"
    let summary = "Merges dimensions start_dim…end_dim into one."
    let arguments = [
        ArgumentSpec("start_dim", .integer(.any), default: .integer(1), "first dimension merged"),
        ArgumentSpec("end_dim", .integer(.any), default: .integer(-1), "last dimension merged"),
    ]
    let shapeRule = "[N, C, H, W] → [N, C·H·W] (start_dim 1, end_dim −1)"

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        let rank = check.input.rank
        guard let start = check.resolveDimension("start_dim", rank: rank),
            let end = check.resolveDimension("end_dim", rank: rank)
        else { return nil }
        guard start >= 1 else {
            check.error("\(check.layerLabel) start_dim 0 would merge the batch dimension", argument: "start_dim")
            return nil
        }
        guard start <= end else {
            check.error(
                "\(check.layerLabel) start_dim \(start) comes after end_dim \(end) for the \(rank)-D input \(check.input)",
                argument: "start_dim")
            return nil
        }
        let sample = check.sample
        let merged = Array(sample[(start - 1)...(end - 1)])
        guard let size = checkedProduct(merged), size <= maximumSize else {
            check.error(
                "\(check.layerLabel) would make a dimension of \(merged.map(String.init).joined(separator: "×")) elements, more than the limit \(maximumSize)")
            return nil
        }
        var derivations: [Int: String] = [:]
        for (index, _) in sample.enumerated() where index < start - 1 {
            derivations[index] = check.flows[0].derivations[index]
        }
        if merged.count > 1 { derivations[start - 1] = merged.map(String.init).joined(separator: "×") }
        let output = Array(sample[..<(start - 1)]) + [size] + Array(sample[end...])
        return InferredShape(check.input.withSample(output), derivations: derivations)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        Flatten(startDim: try arguments.integer("start_dim"), endDim: try arguments.integer("end_dim"))
    }
}

/// `Reshape(shape)`: nnspec's own view of each sample as `shape` (the batch dimension stays;
/// one size may be −1, inferred), as `x.view(x.size(0), *shape)`.
struct ReshapeDefinition: ExportableLayer {
    let typeName = "Reshape"
    let summary = "Views each sample as shape (the batch dimension is kept; one −1 is inferred)."
    let arguments = [ArgumentSpec("shape", .integers(.sizeOrMinusOne), "the sample's new sizes, without the batch")]
    let shapeRule = "[N, *] → [N, shape…], same number of elements per sample"
    let pytorchClass = PyTorchClass.own("Reshape", definition: #"""
        class Reshape(nn.Module):
            """Each sample viewed as `shape`, the batch dimension kept (nnspec's Reshape)."""

            def __init__(self, shape):
                super().__init__()
                self.shape = tuple(shape)

            def extra_repr(self):
                return f"shape={self.shape}"

            def forward(self, x):
                return x.reshape(x.shape[0], *self.shape)
        """#)

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        guard var shape = check.arguments.integers("shape"), let elements = check.input.sampleElementCount else { return nil }
        let wildcards = shape.indices.filter { shape[$0] == -1 }
        let known = saturatingProduct(shape.filter { $0 != -1 })
        let description = "[" + shape.map(String.init).joined(separator: ", ") + "]"
        if wildcards.count > 1 {
            check.error("\(check.layerLabel) shape \(description) may hold only one -1", argument: "shape")
            return nil
        }
        if let wildcard = wildcards.first {
            guard elements % known == 0 else {
                check.error(
                    "\(check.layerLabel) cannot view \(elements) elements of \(check.input) \(check.source()) as \(description): \(elements) is not a multiple of \(known)",
                    argument: "shape")
                return nil
            }
            shape[wildcard] = elements / known
        } else if known != elements {
            check.error(
                "\(check.layerLabel) shape \(description) holds \(known) elements but receives \(elements) (\(check.sample.map(String.init).joined(separator: "×"))) \(check.source())",
                argument: "shape")
            return nil
        }
        return InferredShape(check.input.withSample(shape))
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        let shape = try arguments.integers("shape")
        return try arguments.construct { () throws(NNError) in try Reshape(shape: shape) }
    }
}

/// `Transpose(dim0, dim1)`: nnspec's own module for `x.transpose(dim0, dim1)` (`torch.transpose` as a
/// functional step): a sequence model's logits [N, T, V] become [N, V, T] for CrossEntropyLoss.
struct TransposeDefinition: ExportableLayer {
    let typeName = "Transpose"
    let summary = "Swaps two dimensions (not the batch's), as x.transpose(dim0, dim1)."
    let arguments = [
        ArgumentSpec("dim0", .integer(.any), "one dimension swapped (negative: from the end)"),
        ArgumentSpec("dim1", .integer(.any), "the other dimension swapped"),
    ]
    let shapeRule = "[N, T, V] → [N, V, T] (dim0 1, dim1 2)"
    let pytorchClass = PyTorchClass.own("Transpose", definition: #"""
        class Transpose(nn.Module):
            """x.transpose(dim0, dim1) as a module (nnspec's Transpose)."""

            def __init__(self, dim0, dim1):
                super().__init__()
                self.dim0, self.dim1 = dim0, dim1

            def extra_repr(self):
                return f"dim0={self.dim0}, dim1={self.dim1}"

            def forward(self, x):
                return x.transpose(self.dim0, self.dim1)
        """#)

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        let rank = check.input.rank
        guard let first = check.resolveDimension("dim0", rank: rank), let second = check.resolveDimension("dim1", rank: rank) else {
            return nil
        }
        guard first != 0, second != 0 else {
            check.error("\(check.layerLabel) would swap the batch dimension of \(check.input)", argument: first == 0 ? "dim0" : "dim1",
                        hint: "dimensions count from 0, the batch: [N, T, V] swaps T and V with dim0: 1, dim1: 2")
            return nil
        }
        var sample = check.sample
        sample.swapAt(first - 1, second - 1)
        var derivations: [Int: String] = [:]
        for index in sample.indices {
            let from = index == first - 1 ? second - 1 : index == second - 1 ? first - 1 : index
            derivations[index] = check.flows[0].derivations[from]
        }
        return InferredShape(check.input.withSample(sample), derivations: derivations)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        Transpose(dim0: try arguments.integer("dim0"), dim1: try arguments.integer("dim1"))
    }
}

/// Reshape to the layer's output: the batch dimension copied (0), the sample sizes as inferred.
private func reshapeToOutput(_ graph: inout ONNXLayerBuilder) {
    let shape = graph.constant("shape", integers: [0] + graph.layer.output.sampleSizes)
    graph.node("Reshape", [graph.input, shape])
}

extension FlattenDefinition: ONNXExportableLayer {
    /// Flatten(axis 1) when it merges every dimension after the batch; else a Reshape.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let rank = graph.layer.inputShapes[0].rank
        let end = graph.arguments.integer("end_dim").map { $0 < 0 ? $0 + rank : $0 }
        if graph.arguments.integer("start_dim") == 1, end == rank - 1 {
            graph.node("Flatten", [graph.input], [("axis", .integer(1))])
        } else {
            reshapeToOutput(&graph)
        }
    }
}

extension ReshapeDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) { reshapeToOutput(&graph) }
}

extension TransposeDefinition: ONNXExportableLayer {
    /// Transpose with the identity permutation but dim0 and dim1 swapped.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        let rank = graph.layer.inputShapes[0].rank
        var permutation = Array(0..<rank)
        let axes = ["dim0", "dim1"].map { (graph.arguments.integer($0) ?? 0) }.map { $0 < 0 ? $0 + rank : $0 }
        permutation.swapAt(axes[0], axes[1])
        graph.node("Transpose", [graph.input], [("perm", .integers(permutation))])
    }
}
