/// How `DirectConvolution.inputGradient(part:of:…)` splits the input gradient of a batch into
/// parts that threads compute independently: the groups of 16 images computed across images (each
/// cut into ranges of input rows when the groups alone would leave threads idle), then the images
/// after the last group, image by image in runs. Every input position sums the same products in
/// the same order in either kernel (one adds zeros the other skips), so the split, which follows
/// the thread count, does not change a result.
public struct StrideOneInputGradientParts: Sendable {
    let batch: Int, height: Int
    /// Groups of `imagesPerLaneGroup` images; ranges of input rows per group; runs of the images after them.
    let laneGroups: Int, rowRanges: Int, remainingRuns: Int

    /// The parts for `threads` threads, with groups across images if `acrossImages`.
    init(batch: Int, height: Int, threads: Int, acrossImages: Bool) {
        let groupSize = DirectConvolution.imagesPerLaneGroup
        (self.batch, self.height) = (batch, height)
        laneGroups = acrossImages ? batch / groupSize : 0
        // Enough parts for the groups to share out evenly over the threads (or many groups per thread).
        rowRanges = laneGroups >= 4 * threads ? 1 : min(height, threads / greatestCommonDivisor(laneGroups, threads))
        remainingRuns = min(batch - laneGroups * groupSize, max(threads, WorkerPool.fixedParts))
    }

    /// The number of parts.
    public var count: Int { laneGroups * rowRanges + remainingRuns }

    /// Part `index`'s images, and its input rows when it computes them across images (nil: image by
    /// image). Part 0 of an empty batch (which a loop over its parts may still run) has no images.
    func part(_ index: Int) -> (images: Range<Int>, inputRows: Range<Int>?) {
        let groupSize = DirectConvolution.imagesPerLaneGroup, laneParts = laneGroups * rowRanges
        if index < laneParts {
            let first = index / rowRanges * groupSize, range = index % rowRanges
            return (first..<first + groupSize, height * range / rowRanges..<height * (range + 1) / rowRanges)
        }
        let run = index - laneParts, first = laneGroups * groupSize, remaining = batch - first
        guard remainingRuns > 0 else { return (first..<first, nil) }
        return (first + remaining * run / remainingRuns..<first + remaining * (run + 1) / remainingRuns, nil)
    }
}

/// The greatest common divisor of `a` ≥ 0 and `b` > 0.
private func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while a != 0 { (a, b) = (b % a, a) }
    return b
}
