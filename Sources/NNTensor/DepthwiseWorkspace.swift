/// One part's working memory for the planes of a depthwise convolution, laid out by
/// `DepthwisePlaneLayout`, and the kernels of one plane over it: each output (or input gradient)
/// run in 16-float vector steps as a weighted sum of the taps' runs, the weight gradient as one dot
/// product of runs per tap, its vector sums carried from plane to plane of a channel.
struct DepthwiseWorkspace {
    let layout: DepthwisePlaneLayout
    /// The image plane's phases, `layout.phaseStride` floats apart (zeros where it is padded).
    let phases: UnsafeMutablePointer<Float>
    /// The output gradient plane in flat layout, after `layout.largestOffset` zeros (zeros in the
    /// columns from OW on and after its rows).
    let flatGradient: UnsafeMutablePointer<Float>
    /// The input gradient's phases, `layout.gradientPhaseCount` floats apart.
    let gradientPhases: UnsafeMutablePointer<Float>
    /// The output plane in flat layout (`layout.flatOutputCount` floats).
    let flatOutput: UnsafeMutablePointer<Float>
    /// The weight gradient's vector sums, 4 × 16 floats per tap (in the order of `taps`), zero
    /// between channels.
    let tapSums: UnsafeMutablePointer<Float>
    /// The taps in phase order (in weight order within a phase), tapCount entries each: their weight
    /// index (ky·KW + kx), where their runs start in `phases`, and where they start in
    /// `flatGradient` for the input gradient (`largestOffset` − offset: the gradient's outputs that
    /// reach a position lie before it); then where each phase's taps start (phaseCount + 1 entries).
    let taps: UnsafeMutablePointer<Int>

    /// Runs `body` with a workspace for `layout` from `ScratchBuffers`, its tap sums, phases and flat
    /// gradient zero-filled (the planes copied in later overwrite the same positions, so the rest stays zero).
    static func withWorkspace<Result>(_ layout: DepthwisePlaneLayout, _ body: (DepthwiseWorkspace) -> Result) -> Result {
        let tapSums = 64 * layout.tapCount, phases = layout.phaseCount * layout.phaseStride
        let gradientPhases = layout.phaseCount * layout.gradientPhaseCount
        let zeroed = tapSums + phases + layout.flatGradientCount
        return ScratchBuffers.withBuffer(count: zeroed + gradientPhases + layout.flatOutputCount) { memory in
            ScratchBuffers.withBuffer(of: Int.self, count: 3 * layout.tapCount + layout.phaseCount + 1) { taps in
                memory.update(repeating: 0, count: zeroed)
                let workspace = DepthwiseWorkspace(layout: layout, phases: memory + tapSums, flatGradient: memory + tapSums + phases,
                                                   gradientPhases: memory + zeroed, flatOutput: memory + zeroed + gradientPhases,
                                                   tapSums: memory, taps: taps)
                workspace.tabulateTaps()
                return body(workspace)
            }
        }
    }

    private var tapCount: Int { layout.tapCount }
    private var weightIndices: UnsafeMutablePointer<Int> { taps }
    private var imageStarts: UnsafeMutablePointer<Int> { taps + tapCount }
    private var gradientStarts: UnsafeMutablePointer<Int> { taps + 2 * tapCount }
    private var phaseFirstTaps: UnsafeMutablePointer<Int> { taps + 3 * tapCount }

    /// Fills `taps`.
    private func tabulateTaps() {
        var entry = 0
        for phase in 0..<layout.phaseCount {
            phaseFirstTaps[phase] = entry
            for tap in 0..<tapCount {
                let (tapPhase, offset) = layout.phaseAndOffset(ofTap: tap)
                guard tapPhase == phase else { continue }
                weightIndices[entry] = tap
                imageStarts[entry] = phase * layout.phaseStride + offset
                gradientStarts[entry] = layout.largestOffset - offset
                entry += 1
            }
        }
        phaseFirstTaps[layout.phaseCount] = entry
    }

    /// Copies the image plane x [H, W] into `phases`.
    func loadImage(_ x: UnsafePointer<Float>) { layout.spread(x, into: phases) }

    /// Copies the output gradient plane dy [OH, OW] into `flatGradient`.
    func loadOutputGradient(_ dy: UnsafePointer<Float>) {
        let window = layout.window
        for row in 0..<window.outputHeight {
            copyRun(from: dy + row * window.outputWidth, to: flatGradient + layout.largestOffset + row * layout.phaseColumns,
                    count: window.outputWidth)
        }
    }

    /// y [OH, OW] = the loaded image convolved with `weights` [KH, KW] + `bias`.
    func forward(weights: UnsafePointer<Float>, bias: Float, y: UnsafeMutablePointer<Float>) {
        weightedRunSums(count: layout.flatOutputCount, initial: bias, taps: 0..<tapCount, starts: imageStarts, source: phases,
                        weightIndices: weightIndices, weights: weights, destination: flatOutput)
        let window = layout.window
        for row in 0..<window.outputHeight {
            copyRun(from: flatOutput + row * layout.phaseColumns, to: y + row * window.outputWidth, count: window.outputWidth)
        }
    }

    /// dx [H, W] = the loaded output gradient's transposed convolution with `weights` [KH, KW]: each
    /// phase of the padded input gradient gathered from the taps that read that phase.
    func inputGradient(weights: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        for phase in 0..<layout.phaseCount {
            weightedRunSums(count: layout.gradientPhaseCount, initial: 0, taps: phaseFirstTaps[phase]..<phaseFirstTaps[phase + 1],
                            starts: gradientStarts, source: flatGradient, weightIndices: weightIndices, weights: weights,
                            destination: gradientPhases + phase * layout.gradientPhaseCount)
        }
        layout.gather(gradientPhases, into: dx)
    }

    /// Adds the loaded output gradient times the loaded image value each tap read to the tap sums:
    /// one more plane of the channel's weight gradient. Runs of 64 floats go to the tap's four vector
    /// sums, the rest (all of a small plane) to its first.
    func accumulateWeightGradientSums() {
        let gradient = UnsafePointer(flatGradient + layout.largestOffset), count = layout.flatOutputCount
        let longRuns = count / 64 * 64
        for entry in 0..<tapCount {
            let run = UnsafePointer(phases + imageStarts[entry]), lanes = tapSums + 64 * entry
            if longRuns > 0 {
                var sums = (loadUnaligned(lanes, as: SIMD16<Float>.self), loadUnaligned(lanes + 16, as: SIMD16<Float>.self),
                            loadUnaligned(lanes + 32, as: SIMD16<Float>.self), loadUnaligned(lanes + 48, as: SIMD16<Float>.self))
                for index in stride(from: 0, to: longRuns, by: 64) {
                    sums.0.addProduct(loadUnaligned(gradient + index, as: SIMD16<Float>.self),
                                      loadUnaligned(run + index, as: SIMD16<Float>.self))
                    sums.1.addProduct(loadUnaligned(gradient + index + 16, as: SIMD16<Float>.self),
                                      loadUnaligned(run + index + 16, as: SIMD16<Float>.self))
                    sums.2.addProduct(loadUnaligned(gradient + index + 32, as: SIMD16<Float>.self),
                                      loadUnaligned(run + index + 32, as: SIMD16<Float>.self))
                    sums.3.addProduct(loadUnaligned(gradient + index + 48, as: SIMD16<Float>.self),
                                      loadUnaligned(run + index + 48, as: SIMD16<Float>.self))
                }
                storeUnaligned(sums.0, lanes)
                storeUnaligned(sums.1, lanes + 16)
                storeUnaligned(sums.2, lanes + 32)
                storeUnaligned(sums.3, lanes + 48)
            }
            guard longRuns < count else { continue }
            var sum = loadUnaligned(lanes, as: SIMD16<Float>.self)
            for index in stride(from: longRuns, to: count, by: 16) {
                sum.addProduct(loadUnaligned(gradient + index, as: SIMD16<Float>.self), loadUnaligned(run + index, as: SIMD16<Float>.self))
            }
            storeUnaligned(sum, lanes)
        }
    }

    /// weightGradient [KH, KW] += the tap sums (each reduced once), which are zeroed for the next channel.
    func addWeightGradientSums(into weightGradient: UnsafeMutablePointer<Float>) {
        for entry in 0..<tapCount {
            let lanes = tapSums + 64 * entry
            let sums = (loadUnaligned(lanes, as: SIMD16<Float>.self) + loadUnaligned(lanes + 16, as: SIMD16<Float>.self))
                + (loadUnaligned(lanes + 32, as: SIMD16<Float>.self) + loadUnaligned(lanes + 48, as: SIMD16<Float>.self))
            weightGradient[weightIndices[entry]] += sums.sum()
        }
        tapSums.update(repeating: 0, count: 64 * tapCount)
    }
}

/// destination[j] = initial + Σ over `taps` t of weights[weight index of t] · source[starts[t] + j]
/// for j < count (a multiple of 16), the taps in table order; four vector steps at a time, so that
/// their sums do not wait on each other.
@inline(__always)
private func weightedRunSums(count: Int, initial: Float, taps: Range<Int>, starts: UnsafePointer<Int>, source: UnsafePointer<Float>,
                             weightIndices: UnsafePointer<Int>, weights: UnsafePointer<Float>, destination: UnsafeMutablePointer<Float>) {
    var index = 0
    while index + 64 <= count {
        var sums = (SIMD16<Float>(repeating: initial), SIMD16<Float>(repeating: initial),
                    SIMD16<Float>(repeating: initial), SIMD16<Float>(repeating: initial))
        for tap in taps {
            let weight = weights[weightIndices[tap]], run = source + starts[tap] + index
            sums.0.addProduct(weight, loadUnaligned(run, as: SIMD16<Float>.self))
            sums.1.addProduct(weight, loadUnaligned(run + 16, as: SIMD16<Float>.self))
            sums.2.addProduct(weight, loadUnaligned(run + 32, as: SIMD16<Float>.self))
            sums.3.addProduct(weight, loadUnaligned(run + 48, as: SIMD16<Float>.self))
        }
        storeUnaligned(sums.0, destination + index)
        storeUnaligned(sums.1, destination + index + 16)
        storeUnaligned(sums.2, destination + index + 32)
        storeUnaligned(sums.3, destination + index + 48)
        index += 64
    }
    for index in stride(from: index, to: count, by: 16) {
        var sum = SIMD16<Float>(repeating: initial)
        for tap in taps { sum.addProduct(weights[weightIndices[tap]], loadUnaligned(source + starts[tap] + index, as: SIMD16<Float>.self)) }
        storeUnaligned(sum, destination + index)
    }
}
