/// The weight gradient of a convolution, from unfolded images (`DirectConvolution`) and
/// output gradients expanded to rows of a multiple of 16 floats.
extension DirectConvolution {
    /// dY [OC, OH, OW] → [OC, expandedGradientCount]: each channel's OH · OW values, then zeros up
    /// to a multiple of 16, the layout `accumulateWeightGradient` (and `addChannelSums`) reads.
    public func expandOutputGradient(_ outputGradient: UnsafePointer<Float>, outChannels: Int,
                                     into expanded: UnsafeMutablePointer<Float>) {
        let outputPlane = outputPlane, rowCount = expandedGradientCount
        for channel in 0..<outChannels {
            let row = expanded + channel * rowCount
            copyRun(from: outputGradient + channel * outputPlane, to: row, count: outputPlane)
            zeroRun(row + outputPlane, count: rowCount - outputPlane)
        }
    }

    /// Whether an output gradient [OC, OH, OW] is already in the expanded layout (OH · OW is a
    /// multiple of 16), so that `accumulateWeightGradient` can read it in place.
    public var outputGradientIsExpanded: Bool { outputPlane == expandedGradientCount }

    /// channelSums[oc] += the sum of row oc of an expanded output gradient [OC, expandedGradientCount]
    /// (a bias gradient), in 16 lanes, then across the lanes.
    public func addChannelSums(of expanded: UnsafePointer<Float>, outChannels: Int, to channelSums: UnsafeMutablePointer<Float>) {
        let rowCount = expandedGradientCount
        for channel in 0..<outChannels {
            let row = expanded + channel * rowCount
            var lanes = SIMD16<Float>()
            for p in stride(from: 0, to: rowCount, by: 16) { lanes += loadVector(row + p) }
            channelSums[channel] += lanes.sum()
        }
    }

    /// One of several calls of `accumulateWeightGradient` that together sum over a run of images:
    /// the blocks' vector sums wait in `sums` (`weightGradientSumsCount` floats) between calls, and
    /// reach the weight gradient in the last.
    public struct WeightGradientPass {
        public var sums: UnsafeMutablePointer<Float>
        public var isFirst: Bool, isLast: Bool
        public init(sums: UnsafeMutablePointer<Float>, isFirst: Bool, isLast: Bool) {
            self.sums = sums
            self.isFirst = isFirst
            self.isLast = isLast
        }
    }

    /// Images per `accumulateWeightGradient` call when the images come in passes: enough for about
    /// 512 steps along K per block (the vector sums are loaded and stored once per call), the
    /// fewer, the better the images' data stays in cache while the blocks reread it (LeNet: 1 and 5).
    public var imagesPerWeightGradientPass: Int { (512 + expandedGradientCount - 1) / expandedGradientCount }

    /// Floats of `WeightGradientPass.sums` for `outChannels` output channels.
    public func weightGradientSumsCount(outChannels: Int) -> Int {
        let blocking = weightGradientBlocking(outChannels: outChannels)
        return blocking.channelBlocks * blocking.tapBlocks * DotBlock.rowsOfA * DotBlock.rowsOfB * 16
    }

    /// Blocks pair `DotBlock.rowsOfA` (4) output channels with `rowsOfB` (6) taps, or 6 channels
    /// with 4 taps, whichever pads the weight gradient less (LeNet: 6 × 25 → 6 × 28; 16 × 150 exactly).
    private func weightGradientBlocking(outChannels: Int)
        -> (channelsFirst: Bool, channelsPerBlock: Int, tapsPerBlock: Int, channelBlocks: Int, tapBlocks: Int) {
        func blocks(_ count: Int, of size: Int) -> Int { (count + size - 1) / size }
        let (rowsOfA, rowsOfB) = (DotBlock.rowsOfA, DotBlock.rowsOfB)
        let channelsFirst = blocks(outChannels, of: rowsOfA) * rowsOfA * blocks(taps, of: rowsOfB) * rowsOfB
            <= blocks(outChannels, of: rowsOfB) * rowsOfB * blocks(taps, of: rowsOfA) * rowsOfA
        let (channelsPerBlock, tapsPerBlock) = channelsFirst ? (rowsOfA, rowsOfB) : (rowsOfB, rowsOfA)
        return (channelsFirst, channelsPerBlock, tapsPerBlock, blocks(outChannels, of: channelsPerBlock),
                blocks(taps, of: tapsPerBlock))
    }

    /// dW [OC, taps] += Σ over `images` of dY_i · columns(U_i)ᵀ, with U_i at `unfolded + i·unfoldedStride`
    /// (followed by `readSlack` zeros after the last) and dY_i expanded at `expanded + i·expandedStride`.
    /// With a `pass`, the sums are carried between calls and dW is updated in the last one.
    ///
    /// A·Bᵀ along K (`DotBlock`): the tap rows are the taps' stretches of the unfolded image, read in
    /// place. Each block sums over all the images of the call before its sums are stored or reduced.
    public func accumulateWeightGradient(images: Int, unfolded: UnsafePointer<Float>, unfoldedStride: Int,
                                         expanded: UnsafePointer<Float>, expandedStride: Int, outChannels: Int,
                                         weightGradient: UnsafeMutablePointer<Float>, pass: WeightGradientPass? = nil) {
        let taps = taps, depth = 0..<expandedGradientCount, rowLength = expandedGradientCount
        let blocking = weightGradientBlocking(outChannels: outChannels), channelsFirst = blocking.channelsFirst
        let blockSums = DotBlock.rowsOfA * DotBlock.rowsOfB * 16
        withTapOffsets { offsets in
            for channelBlock in 0..<blocking.channelBlocks {
                for tapBlock in 0..<blocking.tapBlocks {
                    let firstChannel = channelBlock * blocking.channelsPerBlock, firstTap = tapBlock * blocking.tapsPerBlock
                    // Past the last channel (tap) a block repeats it and drops the duplicate sums.
                    func channel(_ r: Int) -> Int { min(firstChannel + r, outChannels - 1) }
                    func tap(_ s: Int) -> Int { min(firstTap + s, taps - 1) }
                    let sums = pass.map { $0.sums + (channelBlock * blocking.tapBlocks + tapBlock) * blockSums }
                    func slot(_ r: Int, _ s: Int) -> UnsafeMutablePointer<Float> { sums! + (r * DotBlock.rowsOfB + s) * 16 }
                    var block = DotBlock()
                    if let pass, !pass.isFirst { block.load(slot) }
                    if channelsFirst {
                        block.accumulate(depth: depth, a: { expanded + channel($0) * rowLength }, b: { unfolded + offsets[tap($0)] },
                                         repeats: images, aStride: expandedStride, bStride: unfoldedStride)
                    } else {
                        block.accumulate(depth: depth, a: { unfolded + offsets[tap($0)] }, b: { expanded + channel($0) * rowLength },
                                         repeats: images, aStride: unfoldedStride, bStride: expandedStride)
                    }
                    if let pass, !pass.isLast { block.store(slot); continue }
                    block.forEachSum { first, second, sum in
                        let (r, s) = channelsFirst ? (first, second) : (second, first)
                        guard firstChannel + r < outChannels, firstTap + s < taps else { return }
                        weightGradient[(firstChannel + r) * taps + firstTap + s] += sum
                    }
                }
            }
        }
    }
}
