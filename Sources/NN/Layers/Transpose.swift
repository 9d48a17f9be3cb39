import NNTensor

/// Swaps two dimensions of the input, as PyTorch code's `x.transpose(dim0, dim1)`: a sequence
/// model's logits [N, T, V] become the [N, V, T] that CrossEntropyLoss takes per position.
/// input [N, *] → output with dimensions dim0 and dim1 swapped (negative ones count from the end).
///
/// PyTorch has no `nn.Transpose` class: this prints as the module nnspec's reference script
/// (tools/torch_print.py) defines, `Transpose(dim0=1, dim1=2)`.
public final class Transpose: Module {
    public let dim0: Int, dim1: Int

    public init(dim0: Int, dim1: Int) {
        self.dim0 = dim0
        self.dim1 = dim1
        super.init()
    }

    override public var extraDescription: String { "dim0=\(dim0), dim1=\(dim1)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let rank = input.shape.count
        guard rank > 0 else { throw .invalidArgument("Transpose needs an input with dimensions but got a scalar") }
        let first = try normalizedDimension(dim0, rank: rank, "Transpose dim0")
        let second = try normalizedDimension(dim1, rank: rank, "Transpose dim1")
        return transpose(input, first, second)
    }
}
