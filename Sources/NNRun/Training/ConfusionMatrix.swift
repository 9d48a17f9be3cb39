import NN
import NNTensor

/// How a classifier's predictions (the first maximum of each output row) fall against the true
/// classes of a data set: `counts[target][predicted]`.
public struct ConfusionMatrix: Equatable, Sendable {
    public var counts: [[Int]]

    public init(counts: [[Int]]) { self.counts = counts }

    public var classCount: Int { counts.count }
    public var samples: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { counts.indices.reduce(0) { $0 + counts[$1][$1] } }

    /// Runs every batch of `loader` through `network` without recording a graph; nil when the
    /// targets are not classes. The caller sets evaluation mode.
    static func measure(network: Module, loader: DataLoader) throws(NNError) -> ConfusionMatrix? {
        let result: Result<ConfusionMatrix?, NNError> = noGrad {
            var matrix: ConfusionMatrix?
            do throws(NNError) {
                for batch in try Evaluation.batches(of: loader) {
                    guard case .classes(let classes, let classCount) = batch.targets else { return .success(nil) }
                    let output = try network(Variable(batch.inputs))
                    var counts = matrix?.counts ?? Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
                    for (target, predicted) in zip(classes, Evaluation.predictedClasses(output.value))
                    where counts.indices.contains(target) && counts.indices.contains(predicted) {
                        counts[target][predicted] += 1
                    }
                    matrix = ConfusionMatrix(counts: counts)
                }
            } catch {
                return .failure(error)
            }
            return .success(matrix)
        }
        switch result {
        case .success(let matrix): return matrix
        case .failure(let error): throw error
        }
    }
}

extension Trainer {
    /// The confusion matrix of the test data in evaluation mode; nil without test data or class targets.
    public func testConfusionMatrix() throws(TrainingError) -> ConfusionMatrix? {
        guard let test = data.test else { return nil }
        network.eval()
        defer { network.train() }
        do throws(NNError) {
            return try ConfusionMatrix.measure(network: network, loader: test)
        } catch {
            throw .computation(step: position.step, "evaluating the test data: \(error.description)")
        }
    }
}
