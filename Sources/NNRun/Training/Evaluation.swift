import NN
import NNTensor

/// A network's mean loss over a data set and, where the targets are classes, its accuracy.
public struct Evaluation: Equatable, Sendable {
    /// The mean loss per sample: batch losses weighted by batch size (as `loss.item() * len(x)`
    /// summed and divided by the sample count); for `reduction: sum`, the summed loss per sample.
    public var loss: Double
    /// Samples whose highest output is their class; nil when the targets are values.
    public var correct: Int?
    public var samples: Int

    /// `correct / samples`, in 0…1.
    public var accuracy: Double? { correct.map { Double($0) / Double(samples) } }

    /// Runs every batch of `loader` (epoch 0's order) through `network` without recording a graph,
    /// showing `eachBatch` each batch's output and targets. The caller sets evaluation mode.
    static func measure(network: Module, loss: any Loss, reduction: Reduction, loader: DataLoader,
                        eachBatch: (_ output: Tensor, _ targets: Targets) -> Void = { _, _ in }) throws(NNError) -> Evaluation {
        let result: Result<Evaluation, NNError> = noGrad {
            var total = 0.0, samples = 0
            var correct: Int?
            do throws(NNError) {
                for batch in try batches(of: loader) {
                    let output = try network(Variable(batch.inputs))
                    let value = Double(try loss(output, batch.targets.lossTarget).value.scalars[0])
                    total += reduction == .sum ? value : value * Double(batch.count)
                    samples += batch.count
                    eachBatch(output.value, batch.targets)
                    if case .classes(let classes, _) = batch.targets {
                        correct = (correct ?? 0) + countCorrect(output.value, classes: classes)
                    }
                }
            } catch {
                return .failure(error)
            }
            return .success(Evaluation(loss: total / Double(max(samples, 1)), correct: correct, samples: samples))
        }
        switch result {
        case .success(let evaluation): return evaluation
        case .failure(let error): throw error
        }
    }

    static func batches(of loader: DataLoader) throws(NNError) -> EpochBatches {
        do throws(DataError) {
            return try loader.batches(epoch: 0)
        } catch {
            throw .invalidArgument(error.description)
        }
    }

    /// How many rows of `output` [N, C] have their first maximum at the row's class.
    static func countCorrect(_ output: Tensor, classes: [Int]) -> Int {
        guard output.rank == 2, output.shape[0] == classes.count else { return 0 }
        return zip(predictedClasses(output), classes).count { $0 == $1 }
    }

    /// The column of each row's first maximum in `output` [N, C] (none when it is not of rank 2).
    static func predictedClasses(_ output: Tensor) -> [Int] {
        guard output.rank == 2 else { return [] }
        let rows = output.shape[0], columns = output.shape[1]
        return output.scalars.withUnsafeBufferPointer { values in
            (0 ..< rows).map { row in
                let rowValues = values[row * columns ..< (row + 1) * columns]
                var best = rowValues.startIndex
                for index in rowValues.indices where rowValues[index] > rowValues[best] { best = index }
                return best - row * columns
            }
        }
    }
}
