import Testing
@testable import NN
import NNTensor

@Suite("Thread count")
struct ThreadCountTests {
    /// A LeNet-like step (two convolutions, pooling, linear, cross-entropy) gives the same loss and
    /// the same gradient bits with 1, 2 and 3 worker threads: the batch is split into a fixed number
    /// of parts whatever the thread count, so the weight gradients add the same partial sums.
    @Test func trainingStepIsBitIdenticalForAnyThreadCount() throws {
        func step(threads: Int) throws -> (loss: Float, gradients: [[Float]]) {
            let pool = WorkerPool.shared, saved = pool.threadCount
            pool.threadCount = threads
            defer { pool.threadCount = saved }
            var generator = RandomGenerator(seed: 11)
            let layers: [Module] = [
                try Conv2d(inChannels: 2, outChannels: 6, kernelSize: 3, generator: &generator), ReLU(),
                try MaxPool2d(kernelSize: 2),
                try Conv2d(inChannels: 6, outChannels: 8, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
                Flatten(), try Linear(inFeatures: 8 * 7 * 7, outFeatures: 5, generator: &generator),
            ]
            let batch = 19
            let images = Tensor(shape: [batch, 2, 16, 16], scalars: (0..<(batch * 2 * 16 * 16)).map { _ in generator.normal() })
            let classes = (0..<batch).map { _ in generator.index(below: 5) }
            var output = Variable(images, requiresGrad: true)
            for layer in layers { output = try layer(output) }
            let loss = try CrossEntropyLoss()(output, classes: classes)
            try loss.backward()
            return (loss.value.scalar, layers.flatMap { $0.parameters() }.map { $0.grad?.scalars ?? [] })
        }
        let one = try step(threads: 1)
        #expect(one.gradients.allSatisfy { !$0.isEmpty })
        for threads in [2, 3] {
            let other = try step(threads: threads)
            #expect(other.loss == one.loss, "\(threads) threads")
            #expect(other.gradients == one.gradients, "\(threads) threads")
        }
    }
}
