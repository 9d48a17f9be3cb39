import NNTensor

/// PyTorch's default initialisers (`torch.nn.init`), drawing from a seeded `RandomGenerator`.
public enum Initializer {
    /// `kaiming_uniform_(w, a=a)` with fan-in mode and leaky-ReLU gain √(2/(1+a²)):
    /// U(−bound, bound), bound = gain·√3/√fanIn. With PyTorch's a = √5 (Linear, Conv2d) the bound
    /// is 1/√fanIn.
    public static func kaimingUniform(shape: [Int], fanIn: Int, a: Double = 5.0.squareRoot(),
                                      generator: inout RandomGenerator) -> Tensor {
        let gain = (2 / (1 + a * a)).squareRoot()
        let bound = fanIn > 0 ? gain * 3.0.squareRoot() / Double(fanIn).squareRoot() : 0
        return uniform(shape: shape, bound: Float(bound), generator: &generator)
    }

    /// PyTorch's default bias: U(−1/√fanIn, 1/√fanIn) (0 when fanIn is 0).
    public static func fanInBias(shape: [Int], fanIn: Int, generator: inout RandomGenerator) -> Tensor {
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        return uniform(shape: shape, bound: Float(bound), generator: &generator)
    }

    /// U(−bound, bound), element by element in row-major order.
    public static func uniform(shape: [Int], bound: Float, generator: inout RandomGenerator) -> Tensor {
        var tensor = Tensor(zeros: shape)
        for index in tensor.scalars.indices { tensor.scalars[index] = generator.uniform(-bound, bound) }
        return tensor
    }

    /// PyTorch's `_ConvNd.reset_parameters`: weight of `weightShape` [A, B, k…] ~ kaiming_uniform(a=√5),
    /// then (when `biasCount` is given) bias [biasCount] ~ U(±1/√fan_in), fan_in = B·∏k (as PyTorch's
    /// `_calculate_fan_in_and_fan_out`). Both require gradients.
    static func convolutionParameters(weightShape: [Int], biasCount: Int?, generator: inout RandomGenerator) -> (weight: Variable, bias: Variable?) {
        let fanIn = weightShape.dropFirst().reduce(1, *)
        let weight = Variable(kaimingUniform(shape: weightShape, fanIn: fanIn, generator: &generator), requiresGrad: true)
        let bias = biasCount.map { Variable(fanInBias(shape: [$0], fanIn: fanIn, generator: &generator), requiresGrad: true) }
        return (weight, bias)
    }
}
