/// Max pooling's most common window, 2×2 with stride 2 and no padding or dilation (LeNet's),
/// forward and gradient, in groups of adjacent windows of one output row.
///
/// A group of `lanes` windows reads 2·lanes inputs of each of its two input rows: their even
/// elements are the windows' left taps, their odd ones the right taps. A row at least one group
/// wide is covered by groups inside it, the last one ending at the row's end (overlapping the one
/// before, it writes the same results again); a narrower row is one group whose extra lanes run
/// into the next rows' outputs and inputs, which are written after it. A row at the end of the
/// image, where such a group would leave it, is one group ending at the row's end (starting in
/// the row before when the row is narrower), computed into a scratch buffer on the stack and
/// copied out for the row's windows only; so a call touches nothing outside its image. (A row too
/// close to the image's start for that is done one window at a time.) A group holding a NaN (ReLU
/// keeps NaN, as `torch.relu`) is redone one window at a time, which keeps PyTorch's NaN rule out
/// of the vector code.

/// The loads and stores of a group of adjacent 2×2 windows; the windows are computed in SIMD16
/// vectors, one lane per window.
protocol TwoByTwoWindowGroup {
    /// The windows per group.
    static var lanes: Int { get }
    /// The outputs, from its first window's, that a group's forward stores write.
    static var outputFootprint: Int { get }
    /// The group's taps, of its windows' upper inputs at `upper` and lower ones at `lower` (2·lanes
    /// each: even elements are left taps, odd ones right taps).
    static func taps(_ upper: UnsafePointer<Float>, _ lower: UnsafePointer<Float>) -> TwoByTwoTaps
    /// The group's output gradients (or indices) at `source`.
    static func load<Scalar: SIMDScalar>(_ source: UnsafePointer<Scalar>) -> SIMD16<Scalar>
    /// Stores the gradients of one of the group's input rows (2·lanes inputs at `row`): window i's
    /// `gradients[i]` at its input whose offset in the window, `rowOffset` + column, equals
    /// `offsets[i]`, 0 at the other.
    static func storeRouted(_ gradients: SIMD16<Float>, offsets: SIMD16<Int32>, rowOffset: Int32, _ row: UnsafeMutablePointer<Float>)
}

/// The four taps of a group's windows, one lane per window.
struct TwoByTwoTaps {
    var upperLeft: SIMD16<Float>, upperRight: SIMD16<Float>, lowerLeft: SIMD16<Float>, lowerRight: SIMD16<Float>
}

/// Eight windows, in the low half of the vectors. The forward pass stores all 16 lanes (the high
/// half lands on outputs that are written after it): storing the low half alone makes the
/// compiler split the ReLU selects and shuffles into many small ones.
enum EightWindows: TwoByTwoWindowGroup {
    static var lanes: Int { 8 }
    static var outputFootprint: Int { 16 }

    @inline(__always) static func taps(_ upper: UnsafePointer<Float>, _ lower: UnsafePointer<Float>) -> TwoByTwoTaps {
        let upperRow = loadUnaligned(upper, as: SIMD16<Float>.self), lowerRow = loadUnaligned(lower, as: SIMD16<Float>.self)
        return TwoByTwoTaps(upperLeft: SIMD16(lowHalf: upperRow.evenHalf, highHalf: upperRow.oddHalf),
                            upperRight: SIMD16(lowHalf: upperRow.oddHalf, highHalf: upperRow.evenHalf),
                            lowerLeft: SIMD16(lowHalf: lowerRow.evenHalf, highHalf: lowerRow.oddHalf),
                            lowerRight: SIMD16(lowHalf: lowerRow.oddHalf, highHalf: lowerRow.evenHalf))
    }

    @inline(__always) static func load<Scalar: SIMDScalar>(_ source: UnsafePointer<Scalar>) -> SIMD16<Scalar> {
        let values = loadUnaligned(source, as: SIMD8<Scalar>.self)
        return SIMD16(lowHalf: values, highHalf: values)
    }

    @inline(__always)
    static func storeRouted(_ gradients: SIMD16<Float>, offsets: SIMD16<Int32>, rowOffset: Int32, _ row: UnsafeMutablePointer<Float>) {
        storeRouted(gradients.lowHalf, offsets: offsets.lowHalf, rowOffset: rowOffset, row)
    }

    /// `storeRouted` of eight windows.
    @inline(__always)
    static func storeRouted(_ gradients: SIMD8<Float>, offsets: SIMD8<Int32>, rowOffset: Int32, _ row: UnsafeMutablePointer<Float>) {
        let columns = SIMD16<Int32>(repeating: rowOffset) &+ SIMD16(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1)
        storeUnaligned(SIMD16<Float>().replacing(with: eachTwice(gradients), where: eachTwice(offsets) .== columns), row)
    }
}

/// Sixteen windows: two 512-bit vectors per input row.
enum SixteenWindows: TwoByTwoWindowGroup {
    static var lanes: Int { 16 }
    static var outputFootprint: Int { 16 }

    @inline(__always) static func taps(_ upper: UnsafePointer<Float>, _ lower: UnsafePointer<Float>) -> TwoByTwoTaps {
        let (upperLeft, upperRight) = taps(upper), (lowerLeft, lowerRight) = taps(lower)
        return TwoByTwoTaps(upperLeft: upperLeft, upperRight: upperRight, lowerLeft: lowerLeft, lowerRight: lowerRight)
    }

    /// A row's left taps (its even elements) and right taps (its odd ones).
    @inline(__always) private static func taps(_ row: UnsafePointer<Float>) -> (left: SIMD16<Float>, right: SIMD16<Float>) {
        let first = loadUnaligned(row, as: SIMD16<Float>.self), second = loadUnaligned(row + 16, as: SIMD16<Float>.self)
        return (SIMD16(lowHalf: first.evenHalf, highHalf: second.evenHalf), SIMD16(lowHalf: first.oddHalf, highHalf: second.oddHalf))
    }

    @inline(__always) static func load<Scalar: SIMDScalar>(_ source: UnsafePointer<Scalar>) -> SIMD16<Scalar> {
        loadUnaligned(source, as: SIMD16<Scalar>.self)
    }

    @inline(__always)
    static func storeRouted(_ gradients: SIMD16<Float>, offsets: SIMD16<Int32>, rowOffset: Int32, _ row: UnsafeMutablePointer<Float>) {
        EightWindows.storeRouted(gradients.lowHalf, offsets: offsets.lowHalf, rowOffset: rowOffset, row)
        EightWindows.storeRouted(gradients.highHalf, offsets: offsets.highHalf, rowOffset: rowOffset, row + 16)
    }
}

/// One image's 2×2 max pool, as `maxPool2d`, or false (nothing written) when the window is not a
/// plain 2×2 one inside the image.
func maxPool2x2<Taps: TapReading>(_ window: Window2d, image: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                  indices: UnsafeMutablePointer<Int32>, reading: Taps.Type) -> Bool {
    guard window.isPlainTwoByTwo, 2 * window.outputHeight <= window.height, 2 * window.outputWidth <= window.width else {
        return false
    }
    if window.outputWidth > 8 {
        maxPool2x2(window, SixteenWindows.self, Taps.self, image: image, output: output, indices: indices)
    } else {
        maxPool2x2(window, EightWindows.self, Taps.self, image: image, output: output, indices: indices)
    }
    return true
}

/// `maxPool2x2` in groups of `Group`.
private func maxPool2x2<Group: TwoByTwoWindowGroup, Taps: TapReading>(
    _ window: Window2d, _ group: Group.Type, _ taps: Taps.Type, image: UnsafePointer<Float>,
    output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>
) {
    for (row, plane, rowOutput, grouped) in TwoByTwoRows(window, Group.self) {
        if grouped {
            row.pool(Group.self, Taps.self, plane: image + plane, output: output + rowOutput, indices: indices + rowOutput)
        } else {
            row.poolEnd(Group.self, Taps.self, plane: image + plane, output: output + rowOutput, indices: indices + rowOutput,
                        startsInside: row.endGroupStartsInside(Group.self, plane: plane, rowOutput: rowOutput))
        }
    }
}

/// The gradient of one image's 2×2 max pool, as `maxPool2dInputGradient` (each output gradient
/// dropped where `gate`, when given, is ≤ 0), or false (nothing written) unless the windows
/// tile the image exactly.
func maxPool2x2InputGradient(_ window: Window2d, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
                             indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>) -> Bool {
    guard window.isPlainTwoByTwo, 2 * window.outputHeight == window.height, 2 * window.outputWidth == window.width else {
        return false
    }
    if window.outputWidth > 8 {
        maxPool2x2InputGradient(window, SixteenWindows.self, outputGradient: outputGradient, gate: gate, indices: indices,
                                inputGradient: inputGradient)
    } else {
        maxPool2x2InputGradient(window, EightWindows.self, outputGradient: outputGradient, gate: gate, indices: indices,
                                inputGradient: inputGradient)
    }
    return true
}

/// `maxPool2x2InputGradient` in groups of `Group`.
private func maxPool2x2InputGradient<Group: TwoByTwoWindowGroup>(
    _ window: Window2d, _ group: Group.Type, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
    indices: UnsafePointer<Int32>, inputGradient: UnsafeMutablePointer<Float>
) {
    for (row, plane, rowOutput, grouped) in TwoByTwoRows(window, Group.self) {
        let rowGate = gate.map { $0 + rowOutput }
        if grouped {
            row.route(Group.self, outputGradient: outputGradient + rowOutput, gate: rowGate, indices: indices + rowOutput,
                      plane: inputGradient + plane)
        } else {
            row.routeEnd(Group.self, outputGradient: outputGradient + rowOutput, gate: rowGate, indices: indices + rowOutput,
                         plane: inputGradient + plane,
                         startsInside: row.endGroupStartsInside(Group.self, plane: plane, rowOutput: rowOutput))
        }
    }
}

/// The output rows of an image, in order: each row, its plane's first input (C×H×W offset), its
/// first output (C×OH×OW offset), and whether groups of `Group` cover it without leaving the image
/// (else it is at the image's end: see the file's header).
struct TwoByTwoRows: Sequence, IteratorProtocol {
    private let outputWidth: Int, outputHeight: Int, width: Int, planeSize: Int, outputSize: Int
    /// The largest offsets of a row's first output and first input whose groups stay inside the image.
    private let lastGroupedOutput: Int, lastGroupedInput: Int
    private var plane = 0, outputRow = 0, rowOutput = 0

    @inline(__always)
    init<Group: TwoByTwoWindowGroup>(_ window: Window2d, _ group: Group.Type) {
        outputWidth = window.outputWidth; outputHeight = window.outputHeight; width = window.width
        planeSize = window.height * width
        outputSize = window.channels * outputHeight * outputWidth
        lastGroupedOutput = outputSize - Swift.max(outputWidth - Group.lanes, 0) - Group.outputFootprint
        let imageSize = window.channels * planeSize
        lastGroupedInput = outputWidth >= Group.lanes ? imageSize : imageSize - width - 2 * Group.lanes
    }

    @inline(__always)
    mutating func next() -> (row: TwoByTwoRow, plane: Int, rowOutput: Int, grouped: Bool)? {
        guard rowOutput < outputSize else { return nil }
        let topLeft = 2 * outputRow * width
        let row = (TwoByTwoRow(width: width, outputWidth: outputWidth, topLeft: topLeft), plane, rowOutput,
                   rowOutput <= lastGroupedOutput && plane + topLeft <= lastGroupedInput)
        rowOutput += outputWidth; outputRow += 1
        if outputRow == outputHeight { outputRow = 0; plane += planeSize }
        return row
    }
}

/// One output row of 2×2 windows: `outputWidth` windows whose top-left inputs start at `topLeft`
/// (y·W + x in its plane, the upper input row; the lower one follows at + `width`).
struct TwoByTwoRow {
    let width: Int, outputWidth: Int, topLeft: Int

    /// (0, 2, 4, …, 30): each window's top-left input relative to the group's first.
    private var windowColumns: SIMD16<Int32> { SIMD16(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30) }

    /// Pools the row in groups of `Group` (see the file's header). `output` and `indices` point at
    /// the row's first window.
    @inline(__always)
    func pool<Group: TwoByTwoWindowGroup, Taps: TapReading>(
        _ group: Group.Type, _ taps: Taps.Type, plane: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>
    ) {
        forEachGroup(lanes: Group.lanes) { column in
            if !self.poolGroup(at: column, Group.self, Taps.self, plane: plane, output: output + column, indices: indices + column) {
                self.poolEach(column..<min(column + Group.lanes, self.outputWidth), Taps.self, plane: plane,
                              output: output, indices: indices)
            }
        }
    }

    /// Whether the group of `Group` that ends at the row's end starts inside the image: its first
    /// input at or after the image's first (the row's plane at `plane`), its first window's output
    /// at or after the image's first (the row's at `rowOutput`).
    func endGroupStartsInside<Group: TwoByTwoWindowGroup>(_ group: Group.Type, plane: Int, rowOutput: Int) -> Bool {
        plane + topLeft >= 2 * (Group.lanes - outputWidth) && rowOutput >= Group.lanes - outputWidth
    }

    /// Pools the row at the image's end: as one group of `Group` ending at the row's end, whose
    /// lanes are copied out for the row's windows only, when that group `startsInside` the image,
    /// else one window at a time.
    @inline(never)
    func poolEnd<Group: TwoByTwoWindowGroup, Taps: TapReading>(
        _ group: Group.Type, _ taps: Taps.Type, plane: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>, startsInside: Bool
    ) {
        guard startsInside else {
            poolEach(0..<outputWidth, Taps.self, plane: plane, output: output, indices: indices)
            return
        }
        let column = outputWidth - Group.lanes
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { maxima in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: 16) { winners in
                if poolGroup(at: column, Group.self, Taps.self, plane: plane, output: maxima.baseAddress!, indices: winners.baseAddress!) {
                    for lane in Swift.max(-column, 0)..<Group.lanes {
                        output[column + lane] = maxima[lane]
                        indices[column + lane] = winners[lane]
                    }
                } else {
                    poolEach(0..<outputWidth, Taps.self, plane: plane, output: output, indices: indices)
                }
            }
        }
    }

    /// Stores at `output` and `indices` the maxima and winners of the group of `Group` whose
    /// first window is window `column` of the row (16 of each, some past the group's); false, with
    /// nothing written, when a tap is NaN.
    @inline(__always)
    private func poolGroup<Group: TwoByTwoWindowGroup, Taps: TapReading>(
        at column: Int, _ group: Group.Type, _ taps: Taps.Type, plane: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>
    ) -> Bool {
        let start = topLeft + 2 * column
        let taps = Group.taps(plane + start, plane + start + width)
        let a = Taps.read(taps.upperLeft), b = Taps.read(taps.upperRight)
        let c = Taps.read(taps.lowerLeft), d = Taps.read(taps.lowerRight)
        if any((a .!= a) .| (b .!= b) .| (c .!= c) .| (d .!= d)) { return false }
        // The first of the maxima in PyTorch's order a, b, c, d (no tap is NaN).
        let rightTop = b .> a, rightBottom = d .> c
        let top = a.replacing(with: b, where: rightTop), bottom = c.replacing(with: d, where: rightBottom)
        let bottomWins = bottom .> top
        let right = SIMD16<Int32>(repeating: 1)
        let bottomOffsets = SIMD16(repeating: Int32(width)) &+ SIMD16<Int32>().replacing(with: right, where: rightBottom)
        let winners = SIMD16<Int32>().replacing(with: right, where: rightTop).replacing(with: bottomOffsets, where: bottomWins)
        storeUnaligned(top.replacing(with: bottom, where: bottomWins), output)
        storeUnaligned(winners &+ SIMD16(repeating: Int32(start)) &+ windowColumns, indices)
        return true
    }

    /// Routes the row's output gradients in groups of `Group`: each goes to its window's winner in
    /// `plane`, 0 to the window's other inputs.
    @inline(__always)
    func route<Group: TwoByTwoWindowGroup>(_ group: Group.Type, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
                                           indices: UnsafePointer<Int32>, plane: UnsafeMutablePointer<Float>) {
        forEachGroup(lanes: Group.lanes) { column in
            let start = self.topLeft + 2 * column
            self.routeGroup(at: column, Group.self, outputGradient: outputGradient, gate: gate, indices: indices,
                            upper: plane + start, lower: plane + start + self.width)
        }
    }

    /// Routes the row's gradients at the image's end, as `poolEnd` pools it.
    @inline(never)
    func routeEnd<Group: TwoByTwoWindowGroup>(_ group: Group.Type, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
                                              indices: UnsafePointer<Int32>, plane: UnsafeMutablePointer<Float>, startsInside: Bool) {
        guard startsInside else {
            routeEach(outputGradient: outputGradient, gate: gate, indices: indices, plane: plane)
            return
        }
        let column = outputWidth - Group.lanes, skipped = 2 * Swift.max(-column, 0)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { rows in
            let upper = rows.baseAddress!, lower = upper + 32
            routeGroup(at: column, Group.self, outputGradient: outputGradient, gate: gate, indices: indices, upper: upper, lower: lower)
            (plane + topLeft).update(from: upper + skipped, count: 2 * outputWidth)
            (plane + topLeft + width).update(from: lower + skipped, count: 2 * outputWidth)
        }
    }

    /// Stores at `upper` and `lower` the gradients of the 2·lanes inputs of each input row of the
    /// group of `Group` whose first window is window `column` of the row.
    @inline(__always)
    private func routeGroup<Group: TwoByTwoWindowGroup>(
        at column: Int, _ group: Group.Type, outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
        indices: UnsafePointer<Int32>, upper: UnsafeMutablePointer<Float>, lower: UnsafeMutablePointer<Float>
    ) {
        var gradients = Group.load(outputGradient + column)
        if let gate {
            gradients = gradients.replacing(with: 0, where: Group.load(gate + column) .<= 0)
        }
        // Each winner's offset in its window: 0, 1 (upper row), width, width + 1 (lower row).
        let offsets = Group.load(indices + column) &- SIMD16(repeating: Int32(topLeft + 2 * column)) &- windowColumns
        Group.storeRouted(gradients, offsets: offsets, rowOffset: 0, upper)
        Group.storeRouted(gradients, offsets: offsets, rowOffset: Int32(width), lower)
    }

    /// Calls `body(column)` for each group's first window: groups that fit in the row, the last one
    /// ending at the row's end; a single group at 0 in a row narrower than a group.
    @inline(__always)
    private func forEachGroup(lanes: Int, _ body: (Int) -> Void) {
        var column = 0
        while column + lanes < outputWidth {
            body(column)
            column += lanes
        }
        body(max(outputWidth - lanes, 0))
    }

    /// Windows `columns`, each compared tap by tap in PyTorch's order.
    @inline(never)
    func poolEach<Taps: TapReading>(_ columns: Range<Int>, _ taps: Taps.Type, plane: UnsafePointer<Float>,
                                    output: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>) {
        for column in columns {
            let windowTopLeft = topLeft + 2 * column
            var best = -Float.infinity, bestIndex = windowTopLeft
            for tap in 0..<4 {
                let index = windowTopLeft + tap / 2 * width + tap % 2, value = Taps.read(plane[index])
                if value > best || value.isNaN { best = value; bestIndex = index }
            }
            output[column] = best
            indices[column] = Int32(bestIndex)
        }
    }

    /// The row's gradient, one window at a time.
    @inline(never)
    func routeEach(outputGradient: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
                   indices: UnsafePointer<Int32>, plane: UnsafeMutablePointer<Float>) {
        for column in 0..<outputWidth {
            let windowTopLeft = topLeft + 2 * column, winner = Int(indices[column])
            var gradient = outputGradient[column]
            if let gate, gate[column] <= 0 { gradient = 0 }
            for tap in 0..<4 {
                let index = windowTopLeft + tap / 2 * width + tap % 2
                plane[index] = index == winner ? gradient : 0
            }
        }
    }
}

extension Window2d {
    /// A 2×2 window with stride 2, no padding and no dilation (LeNet's pooling).
    var isPlainTwoByTwo: Bool {
        kernelHeight == 2 && kernelWidth == 2 && strideHeight == 2 && strideWidth == 2
            && paddingHeight == 0 && paddingWidth == 0 && dilationHeight == 1 && dilationWidth == 1
    }
}
