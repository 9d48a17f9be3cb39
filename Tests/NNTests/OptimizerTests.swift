import NN
import NNTensor
import Testing

@Suite struct OptimizerTests {
    func parameter(_ scalars: [Float], grad: [Float]? = nil) -> Variable {
        let variable = Variable(Tensor(shape: [scalars.count], scalars: scalars), requiresGrad: true)
        variable.grad = grad.map { Tensor(shape: [$0.count], scalars: $0) }
        return variable
    }

    @Test func rejectsInvalidArgumentsNamingTheValue() {
        #expect(throws: OptimizerError.invalidArgument("Invalid learning rate: -0.1")) { try SGD([], lr: -0.1) }
        #expect(throws: OptimizerError.self) { try SGD([], lr: 0.1, momentum: -1) }
        #expect(throws: OptimizerError.self) { try SGD([], lr: 0.1, weightDecay: -1) }
        #expect(throws: OptimizerError.self) { try SGD([], lr: 0.1, nesterov: true) }
        #expect(throws: OptimizerError.self) { try SGD([], lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true) }
        #expect(throws: OptimizerError.invalidArgument("Invalid beta parameter at index 1: 1.0")) {
            try Adam([], betas: (0.9, 1.0))
        }
        #expect(throws: OptimizerError.self) { try Adam([], betas: (-0.1, 0.999)) }
        #expect(throws: OptimizerError.self) { try AdamW([], eps: -1e-8) }
        #expect(throws: OptimizerError.self) { try RMSprop([], alpha: -0.5) }
        #expect(throws: OptimizerError.self) { try RMSprop([], momentum: -0.5) }
        #expect(throws: OptimizerError.self) { try StepLR(try SGD([]), stepSize: 0) }
        #expect(throws: OptimizerError.self) { try CosineAnnealingLR(try SGD([]), tMax: 0) }
    }

    /// A parameter with no elements steps without touching memory; one large enough to be updated
    /// in chunks over two threads gets the values of one thread's loop, with and without momentum.
    @Test func sgdUpdatesEmptyAndChunkedParameters() throws {
        let empty = parameter([], grad: [])
        try SGD([empty], lr: 0.1, momentum: 0.9).step()
        #expect(empty.value.scalars.isEmpty)
        var random = RandomGenerator(seed: 4)
        let values = (0..<40_000).map { _ in random.uniform(-1, 1) }, gradient = (0..<40_000).map { _ in random.uniform(-1, 1) }
        func stepped(threads: Int, momentum: Double) throws -> [Float] {
            let pool = WorkerPool.shared, saved = pool.threadCount
            pool.threadCount = threads
            defer { pool.threadCount = saved }
            let large = parameter(values, grad: gradient)
            let optimizer = try SGD([large], lr: 0.1, momentum: momentum, weightDecay: 0.01)
            try optimizer.step()
            try optimizer.step()
            return large.value.scalars
        }
        for momentum in [0, 0.9] {
            #expect(try stepped(threads: 2, momentum: momentum) == stepped(threads: 1, momentum: momentum), "momentum \(momentum)")
        }
    }

    @Test func zeroGradSetsGradientsToNil() throws {
        let parameters = [parameter([1, 2], grad: [3, 4]), parameter([5], grad: [6])]
        let optimizer = try Adam(parameters)
        optimizer.zeroGrad()
        #expect(parameters.allSatisfy { $0.grad == nil })
    }

    @Test func skipsParametersWithoutGradientLeavingTheirState() throws {
        let withGradient = parameter([1, 2], grad: [0.5, -0.5]), without = parameter([3])
        let optimizer = try Adam([withGradient, without], lr: 0.1)
        try optimizer.step()
        #expect(without.value.scalars == [3])
        #expect(optimizer.stateTensors().map(\.name) == ["0.step", "0.exp_avg", "0.exp_avg_sq"])
        #expect(withGradient.value.scalars != [1, 2])
    }

    @Test func aGradientOfTheWrongShapeThrowsBeforeAnyUpdate() throws {
        let good = parameter([1, 2], grad: [1, 1]), bad = parameter([1, 2, 3], grad: [1, 1])
        let optimizer = try SGD([good, bad], lr: 0.1)
        #expect(throws: OptimizerError.gradientShapeMismatch(parameterIndex: 1, parameterShape: [3], gradientShape: [2])) {
            try optimizer.step()
        }
        #expect(good.value.scalars == [1, 2])
        #expect(optimizer.stepCount == 0)
    }

    @Test func loadingStateRejectsUnknownOrMisshapenBuffers() throws {
        let optimizer = try SGD([parameter([1, 2])], lr: 0.1, momentum: 0.9)
        let buffer = Tensor(shape: [2], scalars: [1, 1])
        #expect(throws: OptimizerError.self) { try optimizer.loadStateTensors([NamedTensor("1.momentum_buffer", buffer)]) }
        #expect(throws: OptimizerError.self) { try optimizer.loadStateTensors([NamedTensor("0.exp_avg", buffer)]) }
        #expect(throws: OptimizerError.self) {
            try optimizer.loadStateTensors([NamedTensor("0.momentum_buffer", Tensor(shape: [3], scalars: [1, 1, 1]))])
        }
        #expect(throws: OptimizerError.self) {
            try Adam([parameter([1, 2])]).loadStateTensors([NamedTensor("0.exp_avg", buffer), NamedTensor("0.exp_avg_sq", buffer)])
        }
        try optimizer.loadStateTensors([NamedTensor("0.momentum_buffer", buffer)])
        #expect(optimizer.stateTensors() == [NamedTensor("0.momentum_buffer", buffer)])
    }

    /// Only the names `stateTensors` writes are read back: a checkpoint whose optimizer state says
    /// ".0.momentum_buffer" (FuzzCheckpoint's finding: "optimizer..2.exp_avg_sq"), "+0." or "00."
    /// would otherwise load as parameter 0's, and be written back under another name.
    @Test(arguments: [".0.momentum_buffer", "+0.momentum_buffer", "00.momentum_buffer", "0", ".momentum_buffer"])
    func loadingStateRejectsNamesItDoesNotWrite(name: String) throws {
        let optimizer = try SGD([parameter([1, 2])], lr: 0.1, momentum: 0.9)
        #expect(throws: OptimizerError.self) { try optimizer.loadStateTensors([NamedTensor(name, Tensor(shape: [2], scalars: [1, 1]))]) }
    }
}
