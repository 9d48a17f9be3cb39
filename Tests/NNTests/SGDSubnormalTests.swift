import NN
import NNTensor
import Testing

@Suite("SGD subnormal momentum")
struct SGDSubnormalTests {
    /// A momentum that decays below the smallest normal float is stored as 0 (flush-to-zero), while
    /// normal values follow PyTorch's b = momentum·b + g exactly.
    @Test func decayedMomentumFlushesToZero() throws {
        let parameter = Variable(Tensor(shape: [2], scalars: [1, 1]), requiresGrad: true)
        let optimizer = try SGD([parameter], lr: 0.1, momentum: 0.5)
        parameter.grad = Tensor(shape: [2], scalars: [Float.leastNormalMagnitude * 1.5, 3])
        try optimizer.step()
        parameter.grad = Tensor(shape: [2], scalars: [0, 1])
        try optimizer.step()
        // b₁ = (1.5·min, 3); b₂ = 0.5·b₁ + (0, 1) = (0.75·min → 0, 2.5).
        #expect(optimizer.stateTensors() == [NamedTensor("0.momentum_buffer", Tensor(shape: [2], scalars: [0, 2.5]))])
    }
}
