/// The pointwise part of one time step of PyTorch's recurrent cells, over a batch of rows.
/// Gate blocks per row are in PyTorch's order: LSTM i, f, g, o; GRU r, z, n.
/// The matrix products (input and recurrent projections) are the caller's GEMMs.
public enum RecurrentCell: Sendable, Equatable {
    /// h = tanh(x·W_ihᵀ + b_ih + h_prev·W_hhᵀ + b_hh)
    case rnnTanh
    /// h = relu(…), as `nn.RNN(nonlinearity='relu')`
    case rnnReLU
    /// c = f ⊙ c_prev + i ⊙ g, h = o ⊙ tanh(c)
    case lstm
    /// n = tanh(x_n + r ⊙ h_n), h = (1 − z) ⊙ n + z ⊙ h_prev
    case gru

    /// Gate blocks of size H in the projections: 1, 4 or 3.
    public var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnReLU: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Blocks of size H a step saves for the backward pass: none for a plain RNN (its output is
    /// enough), LSTM's four activated gates and tanh(c), GRU's r, z, n and the recurrent n projection h_n.
    public var savedCount: Int {
        switch self {
        case .rnnTanh, .rnnReLU: 0
        case .lstm: 5
        case .gru: 4
        }
    }
}

/// One step's pointers, all for `rows` rows of hidden size `hidden` (H).
/// `inputProjection` [rows, G·H] (x·W_ihᵀ); `recurrentProjection` [rows, G·H] (h_prev·W_hhᵀ), nil
/// for the zero initial state; `inputBias` and `recurrentBias` [G·H] (b_ih, b_hh), nil without
/// biases: the cell adds each to its projection, as x·W_ihᵀ + b_ih and h_prev·W_hhᵀ + b_hh.
/// `previousHidden` and `previousCell` [rows, H] or nil for the zero initial state; `hidden`
/// [rows, H]; `cell` [rows, H] (LSTM only); `saved` [rows, savedCount·H].
public struct RecurrentStep {
    public let rows: Int, hidden: Int
    public let inputProjection: UnsafePointer<Float>, recurrentProjection: UnsafePointer<Float>?
    public let inputBias: UnsafePointer<Float>?, recurrentBias: UnsafePointer<Float>?
    public let previousHidden: UnsafePointer<Float>?, previousCell: UnsafePointer<Float>?
    public let hiddenOutput: UnsafeMutablePointer<Float>, cell: UnsafeMutablePointer<Float>?
    public let saved: UnsafeMutablePointer<Float>?

    public init(rows: Int, hidden: Int, inputProjection: UnsafePointer<Float>, recurrentProjection: UnsafePointer<Float>?,
                inputBias: UnsafePointer<Float>?, recurrentBias: UnsafePointer<Float>?,
                previousHidden: UnsafePointer<Float>?, previousCell: UnsafePointer<Float>?,
                hiddenOutput: UnsafeMutablePointer<Float>, cell: UnsafeMutablePointer<Float>?, saved: UnsafeMutablePointer<Float>?) {
        (self.rows, self.hidden, self.inputProjection, self.recurrentProjection) = (rows, hidden, inputProjection, recurrentProjection)
        (self.inputBias, self.recurrentBias) = (inputBias, recurrentBias)
        (self.previousHidden, self.previousCell, self.hiddenOutput, self.cell, self.saved) =
            (previousHidden, previousCell, hiddenOutput, cell, saved)
    }
}

/// Computes one step's hidden state (and LSTM's cell state), saving what `recurrentCellBackward`
/// reads; 16 columns at a time through `CellFunctions`.
public func recurrentCellForward(_ cell: RecurrentCell, _ step: RecurrentStep) {
    let (h, width) = (step.hidden, cell.gateCount * step.hidden)
    for row in 0..<step.rows {
        let x = step.inputProjection + row * width, r = step.recurrentProjection.map { $0 + row * width }
        let out = step.hiddenOutput + row * h
        let previous = step.previousHidden.map { $0 + row * h }
        /// Columns j ..< j + lanes of the row (a constant 16 but at the end, so that whole vectors
        /// compile without the partial loads' lane loops).
        @inline(__always) func columns(_ j: Int, _ lanes: Int) {
            /// Gate block `block`'s input projection x·W_ihᵀ + b_ih.
            @inline(__always) func input(_ block: Int) -> SIMD16<Float> {
                let offset = block * h + j, projection = loadLanes(x + offset, lanes)
                return step.inputBias.map { projection + loadLanes($0 + offset, lanes) } ?? projection
            }
            /// Gate block `block`'s recurrent projection h_prev·W_hhᵀ + b_hh.
            @inline(__always) func recurrent(_ block: Int) -> SIMD16<Float> {
                let offset = block * h + j
                return (r.map { loadLanes($0 + offset, lanes) } ?? SIMD16()) + (step.recurrentBias.map { loadLanes($0 + offset, lanes) } ?? SIMD16())
            }
            /// Gate block `block`'s pre-activation from the input and the recurrent projection.
            @inline(__always) func gate(_ block: Int) -> SIMD16<Float> { input(block) + recurrent(block) }
            switch cell {
            case .rnnTanh:
                storeLanes(CellFunctions.tanh(gate(0)), out + j, lanes)
            case .rnnReLU:
                let sum = gate(0)
                storeLanes(sum.replacing(with: 0, where: sum .<= 0), out + j, lanes)
            case .lstm:
                let saved = step.saved! + row * cell.savedCount * h + j, c = step.cell! + row * h + j
                let i = CellFunctions.sigmoid(gate(0)), f = CellFunctions.sigmoid(gate(1))
                let g = CellFunctions.tanh(gate(2)), o = CellFunctions.sigmoid(gate(3))
                storeLanes(i, saved, lanes)
                storeLanes(f, saved + h, lanes)
                storeLanes(g, saved + 2 * h, lanes)
                storeLanes(o, saved + 3 * h, lanes)
                let newCell = step.previousCell.map { i * g + f * loadLanes($0 + row * h + j, lanes) } ?? i * g
                storeLanes(newCell, c, lanes)
                let tanhC = CellFunctions.tanh(newCell)
                storeLanes(tanhC, saved + 4 * h, lanes)
                storeLanes(o * tanhC, out + j, lanes)
            case .gru:
                let saved = step.saved! + row * cell.savedCount * h + j
                let reset = CellFunctions.sigmoid(gate(0)), update = CellFunctions.sigmoid(gate(1))
                let recurrentN = recurrent(2)
                let n = CellFunctions.tanh(input(2) + reset * recurrentN)
                storeLanes(reset, saved, lanes)
                storeLanes(update, saved + h, lanes)
                storeLanes(n, saved + 2 * h, lanes)
                storeLanes(recurrentN, saved + 3 * h, lanes)
                let carried = previous.map { update * loadLanes($0 + j, lanes) } ?? SIMD16()
                storeLanes((1 - update) * n + carried, out + j, lanes)
            }
        }
        for j in stride(from: 0, to: h, by: 16) {
            if h - j >= 16 { columns(j, 16) } else { columns(j, h - j) }
        }
    }
}

/// One step's gradients. `hiddenGradient` [rows, H]: dL/dh of this step (output and recurrent
/// contributions); `cellGradient` [rows, H] (LSTM): dL/dc from the next step, replaced by dL/dc_prev;
/// `inputProjectionGradient` and `recurrentProjectionGradient` [rows, G·H] are written (the same
/// buffer for RNN and LSTM, whose two projections enter as one sum; GRU's differ in the n block);
/// `previousHiddenGradient` [rows, H] gets the direct part of dL/dh_prev (GRU's z ⊙ dh, else 0).
public struct RecurrentStepGradient {
    public let hiddenGradient: UnsafePointer<Float>
    public let cellGradient: UnsafeMutablePointer<Float>?
    public let inputProjectionGradient: UnsafeMutablePointer<Float>
    public let recurrentProjectionGradient: UnsafeMutablePointer<Float>
    public let previousHiddenGradient: UnsafeMutablePointer<Float>

    public init(hiddenGradient: UnsafePointer<Float>, cellGradient: UnsafeMutablePointer<Float>?,
                inputProjectionGradient: UnsafeMutablePointer<Float>, recurrentProjectionGradient: UnsafeMutablePointer<Float>,
                previousHiddenGradient: UnsafeMutablePointer<Float>) {
        (self.hiddenGradient, self.cellGradient) = (hiddenGradient, cellGradient)
        (self.inputProjectionGradient, self.recurrentProjectionGradient) = (inputProjectionGradient, recurrentProjectionGradient)
        self.previousHiddenGradient = previousHiddenGradient
    }
}

/// The gradients of `recurrentCellForward` for the same `step` (its outputs and saved values filled).
public func recurrentCellBackward(_ cell: RecurrentCell, _ step: RecurrentStep, _ gradient: RecurrentStepGradient) {
    let (h, width) = (step.hidden, cell.gateCount * step.hidden)
    for row in 0..<step.rows {
        let dh = gradient.hiddenGradient + row * h, out = step.hiddenOutput + row * h
        let dx = gradient.inputProjectionGradient + row * width, dr = gradient.recurrentProjectionGradient + row * width
        let dPrevious = gradient.previousHiddenGradient + row * h
        switch cell {
        case .rnnTanh:
            for j in 0..<h { dx[j] = dh[j] * (1 - out[j] * out[j]); dPrevious[j] = 0 }
        case .rnnReLU:
            for j in 0..<h { dx[j] = out[j] > 0 ? dh[j] : 0; dPrevious[j] = 0 }
        case .lstm:
            let saved = step.saved! + row * cell.savedCount * h, dc = gradient.cellGradient! + row * h
            let previousCell = step.previousCell.map { $0 + row * h }
            for j in stride(from: 0, to: h, by: 16) {
                let lanes = min(16, h - j)
                let (i, f) = (loadLanes(saved + j, lanes), loadLanes(saved + h + j, lanes))
                let (g, o) = (loadLanes(saved + 2 * h + j, lanes), loadLanes(saved + 3 * h + j, lanes))
                let dhj = loadLanes(dh + j, lanes)
                let tanhC = loadLanes(saved + 4 * h + j, lanes)
                let dcTotal = loadLanes(dc + j, lanes) + dhj * o * (1 - tanhC * tanhC)
                storeLanes(dcTotal * g * i * (1 - i), dx + j, lanes)
                storeLanes(dcTotal * (previousCell.map { loadLanes($0 + j, lanes) } ?? SIMD16()) * f * (1 - f), dx + h + j, lanes)
                storeLanes(dcTotal * i * (1 - g * g), dx + 2 * h + j, lanes)
                storeLanes(dhj * tanhC * o * (1 - o), dx + 3 * h + j, lanes)
                storeLanes(dcTotal * f, dc + j, lanes)
                storeLanes(SIMD16(), dPrevious + j, lanes)
            }
        case .gru:
            let saved = step.saved! + row * cell.savedCount * h
            let previous = step.previousHidden.map { $0 + row * h }
            for j in 0..<h {
                let (reset, update, n, recurrentN) = (saved[j], saved[h + j], saved[2 * h + j], saved[3 * h + j])
                let dnPre = dh[j] * (1 - update) * (1 - n * n)
                let dUpdatePre = dh[j] * ((previous?[j] ?? 0) - n) * update * (1 - update)
                let dResetPre = dnPre * recurrentN * reset * (1 - reset)
                (dx[j], dx[h + j], dx[2 * h + j]) = (dResetPre, dUpdatePre, dnPre)
                (dr[j], dr[h + j], dr[2 * h + j]) = (dResetPre, dUpdatePre, dnPre * reset)
                dPrevious[j] = dh[j] * update
            }
        }
    }
}
