/// One direction of one recurrent layer over a whole sequence, from the zero initial state, as
/// PyTorch's RNN, LSTM and GRU compute it: the loops shared by autograd's `recurrentLayer` and a
/// `TrainingPlan`. T steps, N rows, input size I, hidden size H, G gate blocks (`cell.gateCount`).
///
/// Forward: the input projections of all T steps are one GEMM; each step adds one recurrent GEMM
/// and the cell's pointwise kernel (`recurrentCellForward`). Backward through time: each step's
/// cell gradient and one recurrent GEMM (dh_prev += dG_h · W_hh); the weight gradients are then one
/// GEMM each over all steps.
public struct RecurrentShape {
    public let cell: RecurrentCell
    public let steps: Int, batch: Int, inputSize: Int, hidden: Int
    /// Runs from the last step to the first (the output stays in time order).
    public let reverse: Bool

    public init(cell: RecurrentCell, steps: Int, batch: Int, inputSize: Int, hidden: Int, reverse: Bool) {
        (self.cell, self.steps, self.batch, self.inputSize, self.hidden, self.reverse) = (cell, steps, batch, inputSize, hidden, reverse)
    }

    /// G·H: the width of a projection row.
    public var width: Int { cell.gateCount * hidden }

    /// T·N: the rows of the input projections.
    public var rows: Int { steps * batch }

    /// The time index of the `position`-th step processed.
    func time(_ position: Int) -> Int { reverse ? steps - 1 - position : position }

    /// The input projection of all T·N rows at once: x [T·N, I] → [T·N, G·H].
    public var inputLinear: LinearShape { LinearShape(rows: rows, inFeatures: inputSize, outFeatures: width) }

    /// Runs the layer over x [T, N, I] (time-major) with weightIH [G·H, I], weightHH [G·H, H] and the
    /// biases [G·H], filling `storage`: the input projections, the output [T, N, H] and what the
    /// backward pass reads. `recurrentProjection` [N, G·H] is working memory. Nothing need be initialised.
    public func forward(x: UnsafePointer<Float>, weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                        biasIH: UnsafePointer<Float>?, biasHH: UnsafePointer<Float>?, storage: RecurrentStorage,
                        recurrentProjection: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        inputLinear.forward(x: x, w: weightIH, b: biasIH, y: storage.inputProjection!)
        for position in 0..<steps {
            let step = step(position, storage, recurrentProjection: recurrentProjection)
            projectRecurrent(step.previousHidden, weight: weightHH, bias: biasHH, into: recurrentProjection)
            recurrentCellForward(cell, step)
        }
    }

    /// Backpropagation through time from dy [T, N, H] (the output's gradient) over `storage` as the
    /// last `forward` left it (its input projections are not read: the cells saved their activated
    /// gates). Writes the gradients of the input projections into `storage.inputProjection`
    /// [T·N, G·H] and, for GRU, those of the recurrent projections into `recurrentGates` [T·N, G·H]
    /// (whose n block differs); `stepGradients` [3, N, H] is working memory.
    public func backThroughTime(outputGradient dy: UnsafePointer<Float>, weightHH: UnsafePointer<Float>, storage: RecurrentStorage,
                                recurrentGates: UnsafeMutablePointer<Float>?, stepGradients: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let block = batch * hidden
        // Per step [N, H] each: dL/dh, dL/dh_prev carried to the step before, LSTM's dL/dc.
        let (dh, dPrevious, dc) = (stepGradients, stepGradients + block, stepGradients + 2 * block)
        stepGradients.update(repeating: 0, count: 3 * block)
        for position in (0..<steps).reversed() {
            let time = time(position)
            for index in 0..<block { dh[index] = dy[time * block + index] + dPrevious[index] }
            let inputRows = storage.inputProjection! + time * batch * width
            let recurrentRows = cell == .gru ? recurrentGates! + time * batch * width : inputRows
            recurrentCellBackward(
                cell, step(position, storage, recurrentProjection: inputRows),
                RecurrentStepGradient(hiddenGradient: dh, cellGradient: dc, inputProjectionGradient: inputRows,
                                      recurrentProjectionGradient: recurrentRows, previousHiddenGradient: dPrevious))
            guard position > 0 else { continue }
            sgemm(.none, .none, m: batch, n: hidden, k: width, alpha: 1, a: recurrentRows, lda: width, b: weightHH, ldb: hidden,
                  beta: 1, c: dPrevious, ldc: hidden)
        }
    }

    /// db_hh += column sums of the recurrent projections' gradients `gates` [T·N, G·H] over all steps.
    public func accumulateRecurrentBiasGradient(gates: UnsafePointer<Float>, db: UnsafeMutablePointer<Float>) {
        accumulateAxisSums(outer: rows, size: width, inner: 1, input: gates, sums: db)
    }

    /// dW_hh += dG_hᵀ · H_prev over the steps after the first processed (each reads the output of
    /// the step processed before it): `gates` [T·N, G·H], `output` [T, N, H] the forward's.
    public func accumulateRecurrentWeightGradient(gates: UnsafePointer<Float>, output: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>) {
        let products = (steps - 1) * batch
        guard products > 0 else { return }
        // Forward: times 1… read the outputs at 0…; reversed: times 0…T−2 read those at 1….
        let (gradientRow, hiddenRow) = reverse ? (0, batch) : (batch, 0)
        sgemm(.transposed, .none, m: width, n: hidden, k: products, alpha: 1, a: gates + gradientRow * width, lda: width,
              b: output + hiddenRow * hidden, ldb: hidden, beta: 1, c: dw, ldc: hidden)
    }

    /// The `position`-th step processed, its pointers into `storage`.
    private func step(_ position: Int, _ storage: RecurrentStorage, recurrentProjection: UnsafePointer<Float>) -> RecurrentStep {
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
    private func projectRecurrent(_ previous: UnsafePointer<Float>?, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                  into hw: UnsafeMutablePointer<Float>) {
        if let bias {
            for row in 0..<batch { (hw + row * width).update(from: bias, count: width) }
        } else {
            hw.update(repeating: 0, count: batch * width)
        }
        guard let previous else { return }
        sgemm(.none, .transposed, m: batch, n: width, k: hidden, alpha: 1, a: previous, lda: hidden, b: weight, ldb: hidden,
              beta: 1, c: hw, ldc: width)
    }
}

/// The buffers of a recurrent pass (nil where a buffer is empty): input projections [T·N, G·H]
/// (their gradients after `backThroughTime`), output [T, N, H], LSTM cells [T·N, H] and the saved
/// gates [T·N, savedCount·H].
public struct RecurrentStorage {
    public let inputProjection: UnsafeMutablePointer<Float>?
    public let output: UnsafeMutablePointer<Float>?, cells: UnsafeMutablePointer<Float>?, saved: UnsafeMutablePointer<Float>?

    public init(inputProjection: UnsafeMutablePointer<Float>?, output: UnsafeMutablePointer<Float>?, cells: UnsafeMutablePointer<Float>?,
                saved: UnsafeMutablePointer<Float>?) {
        (self.inputProjection, self.output, self.cells, self.saved) = (inputProjection, output, cells, saved)
    }
}
