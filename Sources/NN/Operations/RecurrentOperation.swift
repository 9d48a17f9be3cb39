import NNTensor

/// One direction of one recurrent layer over a whole sequence, from the zero initial state, as
/// PyTorch's RNN, LSTM and GRU compute it. input [T, N, I] (time-major), weightIH [G·H, I],
/// weightHH [G·H, H], biases [G·H] → output [T, N, H], the hidden state of every step in time
/// order (also when `reverse` runs from the last step to the first; the final state is the output
/// at T − 1, or at 0 when reversed).
///
/// The input projections of all steps are one GEMM; each step adds one recurrent GEMM and the
/// cell's pointwise kernel (`recurrentCellForward`).
func recurrentLayer(_ input: Variable, cell: RecurrentCell, weightIH: Variable, weightHH: Variable, biasIH: Variable?,
                    biasHH: Variable?, reverse: Bool) throws(NNError) -> Variable {
    let hidden = weightHH.shape[1]
    guard input.shape.count == 3, input.shape[2] == weightIH.shape[1] else {
        throw .shapeMismatch("recurrent layer expects input [L, N, \(weightIH.shape[1])] but got \(input.shape)")
    }
    let shape = RecurrentShape(cell: cell, steps: input.shape[0], batch: input.shape[1], inputSize: input.shape[2],
                               hidden: hidden, reverse: reverse)
    precondition(weightIH.shape[0] == shape.width && weightHH.shape == [shape.width, hidden],
                 "recurrent weights \(weightIH.shape), \(weightHH.shape) for hidden size \(hidden)")
    let rows = shape.steps * shape.batch
    let inputProjection = Tensor(shape: [rows, shape.width]) { xw in
        input.withValue { x in
            weightIH.withValue { w in
                biasIH.withValueIfPresent { b in shape.inputLinear.forward(x: x, w: w, b: b, y: xw.baseAddress!) }
            }
        }
    }
    var output = Tensor(zeros: [shape.steps, shape.batch, hidden])
    var cells = Tensor(zeros: [cell == .lstm ? rows : 0, hidden])
    var saved = Tensor(zeros: [rows, cell.savedCount * hidden])
    var recurrentProjection = Tensor(zeros: [shape.batch, shape.width])
    inputProjection.scalars.withUnsafeBufferPointer { xw in
        output.scalars.withUnsafeMutableBufferPointer { h in
            cells.scalars.withUnsafeMutableBufferPointer { c in
                saved.scalars.withUnsafeMutableBufferPointer { s in
                    recurrentProjection.scalars.withUnsafeMutableBufferPointer { hw in
                        let storage = RecurrentStorage(inputProjection: xw.baseAddress, output: h.baseAddress, cells: c.baseAddress,
                                                       saved: s.baseAddress)
                        for position in 0..<(rows > 0 ? shape.steps : 0) {
                            let step = shape.step(position, storage, recurrentProjection: UnsafePointer(hw.baseAddress!))
                            shape.projectRecurrent(step.previousHidden, weight: weightHH, bias: biasHH, into: hw.baseAddress!)
                            recurrentCellForward(cell, step)
                        }
                    }
                }
            }
        }
    }
    let inputs = [input, weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 }
    return record(output, inputs: inputs) {
        RecurrentOperation(input: input, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, shape: shape,
                           output: output, cells: cells, saved: saved)
    }
}

/// The sizes of one recurrent pass: T steps, N rows, input size I, hidden size H.
struct RecurrentShape {
    let cell: RecurrentCell
    let steps: Int, batch: Int, inputSize: Int, hidden: Int
    let reverse: Bool

    /// G·H: the width of a projection row.
    var width: Int { cell.gateCount * hidden }

    /// The time index of the `position`-th step processed.
    func time(_ position: Int) -> Int { reverse ? steps - 1 - position : position }

    /// The input projection of all T·N rows at once.
    var inputLinear: LinearShape { LinearShape(rows: steps * batch, inFeatures: inputSize, outFeatures: width) }

    /// The `position`-th step processed, its pointers into `storage`.
    func step(_ position: Int, _ storage: RecurrentStorage, recurrentProjection: UnsafePointer<Float>) -> RecurrentStep {
        let (time, block) = (time(position), batch * hidden)
        let previous = position > 0 ? self.time(position - 1) : nil
        return RecurrentStep(
            rows: batch, hidden: hidden, inputProjection: storage.inputProjection! + time * batch * width,
            recurrentProjection: recurrentProjection,
            previousHidden: previous.map { UnsafePointer(storage.output! + $0 * block) },
            previousCell: cell == .lstm ? previous.map { UnsafePointer(storage.cells! + $0 * block) } : nil,
            hiddenOutput: storage.output! + time * block,
            cell: cell == .lstm ? storage.cells! + time * block : nil,
            saved: cell.savedCount > 0 ? storage.saved! + time * batch * cell.savedCount * hidden : nil)
    }

    /// hw [N, G·H] = h_prev · W_hhᵀ + b_hh (just b_hh, or zeros, for the zero initial state).
    func projectRecurrent(_ previous: UnsafePointer<Float>?, weight: Variable, bias: Variable?, into hw: UnsafeMutablePointer<Float>) {
        if let bias {
            bias.withValue { b in for row in 0..<batch { (hw + row * width).update(from: b, count: width) } }
        } else {
            hw.update(repeating: 0, count: batch * width)
        }
        guard let previous else { return }
        weight.withValue { w in
            sgemm(.none, .transposed, m: batch, n: width, k: hidden, alpha: 1, a: previous, lda: hidden, b: w, ldb: hidden,
                  beta: 1, c: hw, ldc: width)
        }
    }
}

/// The base addresses of a pass's tensors (nil when a tensor is empty): input projections
/// [T·N, G·H], output [T, N, H], LSTM cells [T·N, H], saved gates [T·N, savedCount·H].
struct RecurrentStorage {
    let inputProjection: UnsafePointer<Float>?
    let output: UnsafeMutablePointer<Float>?, cells: UnsafeMutablePointer<Float>?, saved: UnsafeMutablePointer<Float>?
}

/// Backpropagation through time: the steps in reverse processing order, each adding its recurrent
/// GEMM (dh_prev += dG_h · W_hh); then one GEMM each for dX = dG_x · W_ih, dW_ih += dG_xᵀ · X and
/// dW_hh += dG_hᵀ · H_prev over all steps, and the bias gradients as column sums.
private struct RecurrentOperation: DifferentiableOperation {
    let input: Variable, weightIH: Variable, weightHH: Variable, biasIH: Variable?, biasHH: Variable?
    let shape: RecurrentShape
    /// The forward pass's hidden states, LSTM cells and saved gates (its input projections are not
    /// needed: the cells saved their activated gates).
    let output: Tensor, cells: Tensor, saved: Tensor
    var inputs: [Variable] { [input, weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 } }

    func backward(_ outputGradient: Tensor) {
        guard shape.steps > 0, shape.batch > 0 else { return }
        let (rows, width, batch, block) = (shape.steps * shape.batch, shape.width, shape.batch, shape.batch * shape.hidden)
        var inputGates = Tensor(zeros: [rows, width])
        var recurrentGates = Tensor(zeros: [shape.cell == .gru ? rows : 0, width])
        // Per step [N, H] each: dL/dh, dL/dh_prev carried to the step before, LSTM's dL/dc.
        var stepGradients = Tensor(zeros: [3, batch, shape.hidden])
        inputGates.scalars.withUnsafeMutableBufferPointer { dgx in
            withForwardStorage(projections: UnsafePointer(dgx.baseAddress!)) { storage in
                recurrentGates.scalars.withUnsafeMutableBufferPointer { dgh in
                    stepGradients.scalars.withUnsafeMutableBufferPointer { gradients in
                        outputGradient.scalars.withUnsafeBufferPointer { dy in
                            let (dh, dPrevious, dc) = (gradients.baseAddress!, gradients.baseAddress! + block, gradients.baseAddress! + 2 * block)
                            for position in (0..<shape.steps).reversed() {
                                let time = shape.time(position)
                                for index in 0..<block { dh[index] = dy[time * block + index] + dPrevious[index] }
                                let inputRows = dgx.baseAddress! + time * batch * width
                                let recurrentRows = shape.cell == .gru ? dgh.baseAddress! + time * batch * width : inputRows
                                recurrentCellBackward(
                                    shape.cell, shape.step(position, storage, recurrentProjection: inputRows),
                                    RecurrentStepGradient(hiddenGradient: dh, cellGradient: dc, inputProjectionGradient: inputRows,
                                                          recurrentProjectionGradient: recurrentRows, previousHiddenGradient: dPrevious))
                                guard position > 0 else { continue }
                                weightHH.withValue { w in
                                    sgemm(.none, .none, m: batch, n: shape.hidden, k: width, alpha: 1, a: recurrentRows, lda: width,
                                          b: w, ldb: shape.hidden, beta: 1, c: dPrevious, ldc: shape.hidden)
                                }
                            }
                        }
                    }
                }
            }
        }
        accumulateInputGradients(inputGates)
        accumulateRecurrentGradients(shape.cell == .gru ? recurrentGates : inputGates)
    }

    /// Runs `body` with pointers to the forward pass's tensors, which the backward kernel only reads.
    /// It reads no projection (the cells saved their activated gates): `projections`, any buffer of
    /// the projections' shape, stands in for them.
    private func withForwardStorage(projections: UnsafePointer<Float>, _ body: (RecurrentStorage) -> Void) {
        output.scalars.withUnsafeBufferPointer { h in
            cells.scalars.withUnsafeBufferPointer { c in
                saved.scalars.withUnsafeBufferPointer { s in
                    body(RecurrentStorage(inputProjection: projections, output: UnsafeMutablePointer(mutating: h.baseAddress),
                                          cells: UnsafeMutablePointer(mutating: c.baseAddress), saved: UnsafeMutablePointer(mutating: s.baseAddress)))
                }
            }
        }
    }

    /// dX = dG_x · W_ih, dW_ih += dG_xᵀ · X, db_ih += column sums of dG_x [T·N, G·H].
    private func accumulateInputGradients(_ gates: Tensor) {
        let linear = shape.inputLinear
        gates.scalars.withUnsafeBufferPointer { dg in
            biasIH?.accumulateGradient { db in linear.accumulateBiasGradient(dy: dg.baseAddress!, db: db.baseAddress!) }
            guard shape.inputSize > 0 else { return }
            if input.requiresGrad {
                input.accumulateGradient(Tensor(shape: input.shape) { dx in
                    weightIH.withValue { w in linear.inputGradient(w: w, dy: dg.baseAddress!, dx: dx.baseAddress!) }
                })
            }
            weightIH.accumulateGradient { dw in
                input.withValue { x in linear.accumulateWeightGradient(x: x, dy: dg.baseAddress!, dw: dw.baseAddress!) }
            }
        }
    }

    /// dW_hh += dG_hᵀ · H_prev over the steps after the first (each reads the output of the step
    /// processed before it), db_hh += column sums of dG_h [T·N, G·H] over all steps.
    private func accumulateRecurrentGradients(_ gates: Tensor) {
        let (width, hidden, batch) = (shape.width, shape.hidden, shape.batch)
        gates.scalars.withUnsafeBufferPointer { dg in
            biasHH?.accumulateGradient { db in
                accumulateAxisSums(outer: shape.steps * batch, size: width, inner: 1, input: dg.baseAddress!, sums: db.baseAddress!)
            }
            let products = (shape.steps - 1) * batch
            guard products > 0 else { return }
            // Forward: times 1… read the outputs at 0…; reversed: times 0…T−2 read those at 1….
            let (gradientRow, hiddenRow) = shape.reverse ? (0, batch) : (batch, 0)
            weightHH.accumulateGradient { dw in
                output.scalars.withUnsafeBufferPointer { h in
                    sgemm(.transposed, .none, m: width, n: hidden, k: products, alpha: 1, a: dg.baseAddress! + gradientRow * width,
                          lda: width, b: h.baseAddress! + hiddenRow * hidden, ldb: hidden, beta: 1, c: dw.baseAddress!, ldc: hidden)
                }
            }
        }
    }
}
