import NNTensor

/// Adds the table's row l at every position l (`PositionalAddition`): input [N, L, D], table
/// [≥ L, D] → output [N, L, D].
func addPositions(_ input: Variable, table: Variable) -> Variable {
    let shape = PositionalAddition(batch: input.shape[0], length: input.shape[1], width: input.shape[2])
    let output = Tensor(shape: input.shape) { y in
        guard y.count > 0 else { return }
        input.withValue { x in table.withValue { t in shape.forward(x: x, table: t, y: y.baseAddress!) } }
    }
    return record(output, inputs: [input, table]) { AddPositionsOperation(input: input, table: table, shape: shape) }
}

/// The input receives the output gradient unchanged; the table's rows its sums over the batch.
private struct AddPositionsOperation: DifferentiableOperation {
    let input: Variable, table: Variable
    let shape: PositionalAddition
    var inputs: [Variable] { [input, table] }
    /// Needs only shapes.
    var savesTensors: Bool { false }

    func backward(_ outputGradient: Tensor) {
        input.accumulateGradient(outputGradient)
        guard outputGradient.count > 0 else { return }
        table.accumulateGradient { dw in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                shape.accumulateTableGradient(outputGradient: dy.baseAddress!, tableGradient: dw.baseAddress!)
            }
        }
    }
}
