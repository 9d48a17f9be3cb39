/// One direction of one recurrent layer over a whole sequence, from the zero initial state, as
/// PyTorch's RNN, LSTM and GRU compute it: the loops shared by autograd's `recurrentLayer` and a
/// `TrainingPlan`. T steps, N rows, input size I, hidden size H, G gate blocks (`cell.gateCount`).
///
/// Forward: the input projections of all T steps are one GEMM; each step adds one recurrent GEMM
/// and the cell's pointwise kernel (`recurrentCellForward`). Backward through time: each step's
/// cell gradient and one recurrent GEMM (dh_prev += dG_h · W_hh); the weight gradients are then one
/// GEMM each over all steps. The steps of either pass run in blocks of the batch's rows, one per
/// thread, each over W_hh packed once per pass (`PackedOperand`).
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

    /// Floats of the working memory `forward` takes: W_hhᵀ packed, then the recurrent projections [N, G·H].
    public var forwardWorkspaceCount: Int { packedWeightCount + batch * width }

    /// Floats of the working memory `backThroughTime` takes: W_hh packed, then the step gradients [3, N, H].
    public var backwardWorkspaceCount: Int { packedWeightCount + 3 * batch * hidden }

    /// Room for W_hh packed as either pass reads it: op(B) = W_hhᵀ [H, G·H] forward, W_hh [G·H, H] backward.
    private var packedWeightCount: Int { max(PackedOperand.count(k: hidden, n: width), PackedOperand.count(k: width, n: hidden)) }

    /// The blocks of the batch that run their steps as parts of the worker pool: rows never mix
    /// within a step, so each block runs all T steps without waiting for the others, and every value
    /// is computed the same way whatever the split (`PackedOperand`).
    private var rowBlocks: Int { min(batch, WorkerPool.shared.threadCount) }

    /// Rows of block `part` of `rowBlocks`.
    private func rows(ofBlock part: Int, of parts: Int) -> Range<Int> { blockRange(part: part, of: parts, in: 0..<batch, multiple: 1) }

    /// Runs the layer over x [T, N, I] (time-major) with weightIH [G·H, I], weightHH [G·H, H] and the
    /// biases [G·H], filling `storage`: the input projections x·W_ihᵀ (the cells add b_ih), the
    /// output [T, N, H] and what the backward pass reads. `workspace` holds `forwardWorkspaceCount`
    /// floats. Nothing need be initialised.
    public func forward(x: UnsafePointer<Float>, weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                        biasIH: UnsafePointer<Float>?, biasHH: UnsafePointer<Float>?, storage: RecurrentStorage,
                        workspace: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        inputLinear.forward(x: x, w: weightIH, b: nil, y: storage.inputProjection!)
        let weights = PackedOperand(.transposed, k: hidden, n: width, b: weightHH, ldb: hidden, into: workspace)
        let parts = rowBlocks
        WorkerPool.shared.run(parts: parts, context: (self, weights, (biasIH, biasHH), storage, workspace + packedWeightCount, parts)) {
            context, part in
            let (shape, weights, biases, storage, recurrentProjection, parts) = context
            shape.forwardSteps(rows: shape.rows(ofBlock: part, of: parts), weights: weights, biases: biases, storage: storage,
                               recurrentProjection: recurrentProjection)
        }
    }

    /// All T steps of `forward` for a block of the batch's rows: hw [N, G·H] (those rows) =
    /// h_prev · W_hhᵀ (none for the zero initial state), then the cell, which adds the biases (b_ih, b_hh).
    private func forwardSteps(rows: Range<Int>, weights: PackedOperand, biases: (UnsafePointer<Float>?, UnsafePointer<Float>?),
                              storage: RecurrentStorage, recurrentProjection: UnsafeMutablePointer<Float>) {
        let hw = recurrentProjection + rows.lowerBound * width
        GEMMScratch.withScratch { scratch in
            let tile = scratch.buffer(.tile, count: MicroTile.rows * MicroTile.columns)
            for position in 0..<steps {
                let step = step(position, rows: rows, storage, recurrentProjection: position > 0 ? recurrentProjection : nil,
                                biases: biases)
                if let previous = step.previousHidden {
                    weights.multiply(a: previous, lda: hidden, beta: 0, c: hw, ldc: width, rows: 0..<rows.count, tile: tile)
                }
                recurrentCellForward(cell, step)
            }
        }
    }

    /// Backpropagation through time from dy [T, N, H] (the output's gradient) over `storage` as the
    /// last `forward` left it (its input projections are not read: the cells saved their activated
    /// gates). Writes the gradients of the input projections into `storage.inputProjection`
    /// [T·N, G·H] and, for GRU, those of the recurrent projections into `recurrentGates` [T·N, G·H]
    /// (whose n block differs); `workspace` holds `backwardWorkspaceCount` floats.
    public func backThroughTime(outputGradient dy: UnsafePointer<Float>, weightHH: UnsafePointer<Float>, storage: RecurrentStorage,
                                recurrentGates: UnsafeMutablePointer<Float>?, workspace: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let weights = PackedOperand(.none, k: width, n: hidden, b: weightHH, ldb: hidden, into: workspace)
        let parts = rowBlocks
        WorkerPool.shared.run(parts: parts, context: (self, dy, weights, storage, recurrentGates, workspace + packedWeightCount, parts)) {
            context, part in
            let (shape, dy, weights, storage, recurrentGates, stepGradients, parts) = context
            shape.backSteps(rows: shape.rows(ofBlock: part, of: parts), outputGradient: dy, weights: weights, storage: storage,
                            recurrentGates: recurrentGates, stepGradients: stepGradients)
        }
    }

    /// All T steps of `backThroughTime`, last first, for a block of the batch's rows. `stepGradients`
    /// [3, N, H]: per step, dL/dh, dL/dh_prev carried to the step before, and LSTM's dL/dc.
    private func backSteps(rows: Range<Int>, outputGradient dy: UnsafePointer<Float>, weights: PackedOperand, storage: RecurrentStorage,
                           recurrentGates: UnsafeMutablePointer<Float>?, stepGradients: UnsafeMutablePointer<Float>) {
        let (block, count, first) = (batch * hidden, rows.count * hidden, rows.lowerBound * hidden)
        let (dh, dPrevious, dc) = (stepGradients + first, stepGradients + block + first, stepGradients + 2 * block + first)
        dh.update(repeating: 0, count: count)
        dPrevious.update(repeating: 0, count: count)
        dc.update(repeating: 0, count: count)
        GEMMScratch.withScratch { scratch in
            let tile = scratch.buffer(.tile, count: MicroTile.rows * MicroTile.columns)
            for position in (0..<steps).reversed() {
                let time = time(position), output = dy + time * block + first
                for index in 0..<count { dh[index] = output[index] + dPrevious[index] }
                let inputRows = storage.inputProjection! + (time * batch + rows.lowerBound) * width
                let recurrentRows = cell == .gru ? recurrentGates! + (time * batch + rows.lowerBound) * width : inputRows
                recurrentCellBackward(
                    cell, step(position, rows: rows, storage, recurrentProjection: nil, biases: (nil, nil)),
                    RecurrentStepGradient(hiddenGradient: dh, cellGradient: dc, inputProjectionGradient: inputRows,
                                          recurrentProjectionGradient: recurrentRows, previousHiddenGradient: dPrevious))
                guard position > 0 else { continue }
                // dh_prev += dG_h · W_hh
                weights.multiply(a: recurrentRows, lda: width, beta: 1, c: dPrevious, ldc: hidden, rows: 0..<rows.count, tile: tile)
            }
        }
    }

    /// db_hh += column sums of the recurrent projections' gradients `gates` [T·N, G·H] over all steps.
    public func accumulateRecurrentBiasGradient(gates: UnsafePointer<Float>, db: UnsafeMutablePointer<Float>) {
        accumulateAxisSums(outer: rows, size: width, inner: 1, input: gates, sums: db)
    }

    /// db_ih and db_hh (distinct) += the column sums of `gates` [T·N, G·H], for RNN and LSTM, whose
    /// two projections enter as one sum and share their gradients: one pass over the gates, the
    /// values of `accumulateRecurrentBiasGradient` (and of `inputLinear`'s bias gradient) for each.
    public func accumulateSharedBiasGradients(gates: UnsafePointer<Float>, inputBias dbIH: UnsafeMutablePointer<Float>,
                                              recurrentBias dbHH: UnsafeMutablePointer<Float>) {
        accumulateAxisSums(outer: rows, size: width, inner: 1, input: gates, sums: dbIH, otherSums: dbHH)
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

    /// The `position`-th step processed for `rows` of the batch, its pointers into `storage` and
    /// `recurrentProjection` [N, G·H] moved to the first of them; `biases` b_ih and b_hh (the
    /// backward pass reads neither those nor the projections: the cells saved what it needs).
    private func step(_ position: Int, rows: Range<Int>, _ storage: RecurrentStorage, recurrentProjection: UnsafePointer<Float>?,
                      biases: (input: UnsafePointer<Float>?, recurrent: UnsafePointer<Float>?)) -> RecurrentStep {
        let (time, block, first) = (time(position), batch * hidden, rows.lowerBound)
        let previous = position > 0 ? self.time(position - 1) : nil
        return RecurrentStep(
            rows: rows.count, hidden: hidden, inputProjection: storage.inputProjection! + (time * batch + first) * width,
            recurrentProjection: recurrentProjection.map { $0 + first * width }, inputBias: biases.input, recurrentBias: biases.recurrent,
            previousHidden: previous.map { UnsafePointer(storage.output! + $0 * block + first * hidden) },
            previousCell: cell == .lstm ? previous.map { UnsafePointer(storage.cells! + $0 * block + first * hidden) } : nil,
            hiddenOutput: storage.output! + time * block + first * hidden,
            cell: cell == .lstm ? storage.cells! + time * block + first * hidden : nil,
            saved: cell.savedCount > 0 ? storage.saved! + (time * batch + first) * cell.savedCount * hidden : nil)
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
