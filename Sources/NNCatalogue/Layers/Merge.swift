import NN
import NNSpec
import NNTensor

/// `Add`: the element-wise sum of two or more tensors of one shape (a residual connection).
struct AddDefinition: ExportableLayer {
    let typeName = "Add"
    let summary = "Sums its inputs element by element (inputs named by from:)."
    let arguments: [ArgumentSpec] = []
    let arity = LayerArity.atLeastTwo
    let shapeRule = "[N, *] + [N, *] + … → [N, *], all inputs of equal shape"
    let pytorchClass = PyTorchClass.own("Add", definition: #"""
        class Add(nn.Module):
            """The sum of the inputs, in order (nnspec's Add; PyTorch code writes `a + b`)."""

            def forward(self, *inputs):
                return sum(inputs[1:], inputs[0])
        """#)

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        let first = check.inputs[0]
        for index in check.inputs.indices.dropFirst() where check.inputs[index] != first {
            check.error(
                "\(check.layerLabel) adds tensors of different shapes: \(first) \(check.source(0)) and \(check.inputs[index]) \(check.source(index))",
                hint: "make both branches end in the same shape, e.g. with a 1×1 Conv2d on the shortcut")
            return nil
        }
        return InferredShape(first)
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module { Add() }
}

/// `Concat(dim=1)`: joins tensors along `dim` (as `torch.cat`); the other sizes must agree.
struct ConcatDefinition: ExportableLayer {
    let typeName = "Concat"
    let summary = "Joins its inputs along dim, as torch.cat (inputs named by from:)."
    let arguments = [ArgumentSpec("dim", .integer(.any), default: .integer(1), "the dimension joined (not the batch)")]
    let arity = LayerArity.atLeastTwo
    let shapeRule = "[N, a, *] ⧺ [N, b, *] → [N, a + b, *] along dim; other sizes equal"
    let pytorchClass = PyTorchClass.own("Concat", definition: #"""
        class Concat(nn.Module):
            """The inputs joined along `dim`, as torch.cat (nnspec's Concat)."""

            def __init__(self, dim=1):
                super().__init__()
                self.dim = dim

            def extra_repr(self):
                return f"dim={self.dim}"

            def forward(self, *inputs):
                return torch.cat(inputs, dim=self.dim)
        """#)

    func output(_ check: inout ShapeCheck) -> InferredShape? {
        let first = check.inputs[0]
        for index in check.inputs.indices.dropFirst() where check.inputs[index].rank != first.rank {
            check.error(
                "\(check.layerLabel) joins tensors of different ranks: \(first) \(check.source(0)) and \(check.inputs[index]) \(check.source(index))")
            return nil
        }
        guard let dim = check.resolveDimension("dim", rank: first.rank) else { return nil }
        guard dim >= 1 else {
            check.error("\(check.layerLabel) cannot join along the batch dimension", argument: "dim")
            return nil
        }
        var total = 0
        for index in check.inputs.indices {
            var sizes = check.inputs[index].sampleSizes
            var expected = first.sampleSizes
            total += sizes[dim - 1]
            sizes[dim - 1] = 0
            expected[dim - 1] = 0
            if sizes != expected {
                check.error(
                    "\(check.layerLabel) joins along dim \(dim), so all other sizes must agree, but \(first) \(check.source(0)) and \(check.inputs[index]) \(check.source(index)) differ",
                    argument: "dim")
                return nil
            }
        }
        var sample = first.sampleSizes
        sample[dim - 1] = total
        let parts = check.inputs.map { String($0.sampleSizes[dim - 1]) }.joined(separator: "+")
        return InferredShape(first.withSample(sample), derivations: [dim - 1: parts])
    }

    func module(_ arguments: BuildArguments, generator: inout RandomGenerator) throws(BuildError) -> Module {
        Concat(dim: try arguments.integer("dim"))
    }
}

extension AddDefinition: ONNXExportableLayer {
    /// Add nodes in input order: ((a + b) + c) …, as nnspec sums.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        var sum = graph.inputs[0]
        for (position, input) in graph.inputs.enumerated().dropFirst() {
            sum = graph.node("Add", [sum, input], to: position == graph.inputs.count - 1 ? nil : "sum\(position)")
        }
    }
}

extension ConcatDefinition: ONNXExportableLayer {
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError) {
        graph.node("Concat", graph.inputs, [("axis", .integer(graph.arguments.integer("dim") ?? 1))])
    }
}
