import NNTensor

/// In training, zeroes each element with probability p and scales the others by 1/(1 − p), as
/// `nn.Dropout`; in evaluation, the identity. input [*] → output [*].
/// The masks come from the layer's own generator, seeded from the one given at construction.
/// `inplace` is printed as PyTorch prints it; the output is a new tensor with the same values.
public final class Dropout: Module {
    public let p: Double
    public let inplace: Bool
    /// The mask generator; a training checkpoint saves and restores its state.
    public var generator: RandomGenerator

    public init(p: Double = 0.5, inplace: Bool = false, generator: inout RandomGenerator) throws(NNError) {
        guard (0...1).contains(p) else {
            throw .invalidArgument("Dropout: probability has to be between 0 and 1, but got \(p)")
        }
        self.p = p
        self.inplace = inplace
        self.generator = RandomGenerator(seed: generator.next())
        super.init()
    }

    override public var extraDescription: String { "p=\(PythonRepr.float(p)), inplace=\(PythonRepr.bool(inplace))" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        guard isTraining && p > 0 else { return input }
        return dropout(input, probability: Float(p), generator: &generator)
    }
}

/// Returns its input unchanged, as `nn.Identity`. input [*] → output [*].
public final class Identity: Module {
    override public func forward(_ input: Variable) throws(NNError) -> Variable { input }
}
