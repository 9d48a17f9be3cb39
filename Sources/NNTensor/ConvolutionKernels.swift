/// The batch loops of a convolution, the images split into `WorkerPool.fixedParts(for:)` parts that
/// run on the worker pool, each with its own working memory from `ScratchBuffers`.
/// Depthwise (one input and one output channel per group): `DepthwiseConvolution`, plane by plane.
/// Small output planes with one group: `ImageBlockConvolution` (one SGEMM per block of images).
/// Unfolded images that fit in L2 (`DirectConvolution`): forward and weight gradient read an image
/// unfolded along the kernel columns (and row phases) as the column matrix; with stride 1 the input
/// gradient gathers from dY directly. Larger ones: the forward pass runs the same way in bands of
/// output rows whose unfolded rows fit (`DirectConvolution(forwardInBandsOf:)`), else by im2col +
/// SGEMM per image and group (with one image the split is moot and each SGEMM spreads over the
/// pool); the gradients by im2col + SGEMM and Wᵀ · dY + col2im.
/// Pointers: x [N, C, H, W], w [OC, C/groups, KH, KW], y and dy [N, OC, OH, OW].
extension ConvolutionShape {
    /// Multiply-adds below which a convolution of fewer images than threads runs on the calling thread
    /// alone. Split on two threads, every convolution of the ResNet example at batch 1 (0.13M to 2.4M)
    /// took the whole pass from 0.245 ms to 0.204 while the benchmark machine's two virtual CPUs shared
    /// data quickly, and to 0.32 while they were slow to (bench/README.md): the layers between the
    /// convolutions read what the other core wrote. ResNet-18's at 224×224 (115M) gain from the split.
    static let smallestSplitImage = 8_000_000

    /// y = conv(x, w) + b for every image; y need not be initialised.
    public func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        let pool = WorkerPool.shared
        guard batch >= pool.threadCount || batch * outChannels * outputPlane * columnRows >= Self.smallestSplitImage else {
            return pool.runSerially { forwardOverPool(x: x, w: w, b: b, y: y, splittingImages: false) }
        }
        forwardOverPool(x: x, w: w, b: b, y: y)
    }

    /// `forward`, its parts spread over the worker pool whatever its size; with fewer images than
    /// threads, each direct image split into parts unless `splittingImages` is false (on the calling
    /// thread alone, where a part would only unfold its rows again).
    func forwardOverPool(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>,
                         splittingImages: Bool = true) {
        if let depthwise = DepthwiseConvolution(self) { return depthwise.forward(x: x, w: w, b: b, y: y) }
        if let blocks = ImageBlockConvolution(self) { return blocks.forward(x: x, w: w, b: b, y: y) }
        if let direct = DirectConvolution(forwardInBandsOf: window) {
            if splittingImages && batch < WorkerPool.shared.threadCount {
                return directForwardSplittingImages(direct, x: x, w: w, b: b, y: y)
            }
            let scratch = directForwardScratch(direct)
            return forEachImageBlock(context: (self, direct, x, w, b, y, scratch)) { context, _, images in
                let (shape, direct, x, w, b, y, scratch) = context
                ScratchBuffers.withBuffer(count: scratch) { unfolded in
                    for image in images {
                        shape.directForward(direct, image: image, x: x, w: w, b: b, unfolded: unfolded,
                                            y: y + shape.outputOffset(image, 0))
                    }
                }
            }
        }
        if batch < WorkerPool.shared.threadCount {
            return ScratchBuffers.withBuffer(count: columnRows * outputPlane) { columns in
                for image in 0..<batch { unfoldedForward(image: image, x: x, w: w, b: b, y: y, columns: columns, unfoldsOverPool: true) }
            }
        }
        forEachImageBlock(context: (self, x, w, b, y)) { context, _, images in
            let (shape, x, w, b, y) = context
            ScratchBuffers.withBuffer(count: shape.columnRows * shape.outputPlane) { columns in
                for image in images {
                    shape.unfoldedForward(image: image, x: x, w: w, b: b, y: y, columns: columns, unfoldsOverPool: false)
                }
            }
        }
    }

    /// y[image] = conv(x[image], w) + b by im2col into `columns` (C/groups·KH·KW × OH·OW floats) and
    /// one SGEMM per group. `unfoldsOverPool`: im2col splits its channels over the worker pool (for
    /// an image computed alone, outside a pool job, whose SGEMMs the pool splits too).
    private func unfoldedForward(image: Int, x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
                                 y: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>, unfoldsOverPool: Bool) {
        if let b {
            for channel in 0..<outChannels {
                (y + (image * outChannels + channel) * outputPlane).update(repeating: b[channel], count: outputPlane)
            }
        }
        for group in 0..<groups {
            let groupImage = x + inputOffset(image, group)
            if unfoldsOverPool {
                im2colSplittingChannels(window, image: groupImage, columns: columns)
            } else {
                im2col(window, image: groupImage, columns: columns)
            }
            sgemm(.none, .none, m: groupOutChannels, n: outputPlane, k: columnRows, alpha: 1,
                  a: w + weightOffset(group), lda: columnRows, b: columns, ldb: outputPlane,
                  beta: b == nil ? 0 : 1, c: y + outputOffset(image, group), ldc: outputPlane)
        }
    }

    /// The direct forward pass with fewer images than threads (batch 1 at inference): each image is
    /// split over the pool by its output positions, in whole tiles, each part unfolding the rows its
    /// positions read into its own working memory (the unfolded image is up to 9 times the image,
    /// which a thread would otherwise read from the core that wrote it). With fewer than two tiles per
    /// thread (ResNet-18's last stage at 416×416: 13×13 outputs, three tiles, 512 channels), by its
    /// output channels instead, in equal parts of whole micro-tile panels, each part unfolding the whole
    /// image. Every output is computed as with the whole image on one thread.
    private func directForwardSplittingImages(_ direct: DirectConvolution, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                                              b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        let pool = WorkerPool.shared, tiles = direct.tileCount, panels = (groupOutChannels + MicroTile.rows - 1) / MicroTile.rows
        guard tiles < 2 * pool.threadCount && panels > tiles else {
            for image in 0..<batch {
                pool.forEachBlock(of: 0..<tiles, parts: pool.balancedParts(for: tiles), context: (self, direct, image, x, w, b, y)) { context, _, tiles in
                    let (shape, direct, image, x, w, b, y) = context
                    ScratchBuffers.withBuffer(count: shape.directForwardScratch(direct)) { unfolded in
                        shape.directForward(direct, image: image, tiles: tiles, x: x, w: w, b: b, unfolded: unfolded,
                                            y: y + shape.outputOffset(image, 0))
                    }
                }
            }
            return
        }
        let parts = min(pool.threadCount, panels)
        for image in 0..<batch {
            pool.run(parts: parts, context: (self, direct, image, parts, panels, x, w, b, y)) { context, part in
                let (shape, direct, image, parts, panels, x, w, b, y) = context
                let channels = part * panels / parts * MicroTile.rows..<min((part + 1) * panels / parts * MicroTile.rows, shape.groupOutChannels)
                ScratchBuffers.withBuffer(count: shape.directForwardScratch(direct)) { unfolded in
                    shape.directForward(direct, image: image, channels: channels, x: x, w: w, b: b, unfolded: unfolded,
                                        y: y + shape.outputOffset(image, 0))
                }
            }
        }
    }

    /// Floats of the working memory `directForward` needs: one group's unfolded image.
    func directForwardScratch(_ direct: DirectConvolution) -> Int {
        direct.unfoldedImageCount + DirectConvolution.readSlack
    }

    /// The outputs in tiles `tiles` (all by default) and channels `channels` of each group (all by
    /// default) of y [OC, OH, OW] = conv(x[image], w) + b for one image, through `direct` (this shape's
    /// window), group by group and band by band (`direct.bandTiles`): the rows that a band reads of
    /// the group's unfolded image are written into `unfolded` (`directForwardScratch` floats), then the
    /// band's outputs computed while those rows are in L2.
    func directForward(_ direct: DirectConvolution, image: Int, tiles: Range<Int>? = nil, channels: Range<Int>? = nil,
                       x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?,
                       unfolded: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let tiles = tiles ?? 0..<direct.tileCount, channels = channels ?? 0..<groupOutChannels, bandTiles = direct.bandTiles
        for group in 0..<groups {
            let firstChannel = group * groupOutChannels + channels.lowerBound
            for bandStart in stride(from: tiles.lowerBound, to: tiles.upperBound, by: bandTiles) {
                let positions = direct.positions(ofTiles: bandStart..<min(bandStart + bandTiles, tiles.upperBound))
                direct.unfold(count: 1, images: x + inputOffset(image, group), readBy: positions, into: unfolded)
                direct.forward(unfolded: unfolded, weights: w + weightOffset(group) + channels.lowerBound * direct.taps,
                               outChannels: channels.count, bias: b.map { $0 + firstChannel }, output: y + firstChannel * outputPlane,
                               positions: positions)
            }
        }
    }

    /// dw += Σ over images of dY · columnsᵀ, and db (if given) += Σ over images and positions of dY.
    /// Each part sums its images into its own partials (part 0: into dw and db), then the partials
    /// are added in part order.
    public func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                                  db: UnsafeMutablePointer<Float>? = nil) {
        if let depthwise = DepthwiseConvolution(self) { return depthwise.accumulateWeightGradient(x: x, dy: dy, dw: dw, db: db) }
        if let blocks = ImageBlockConvolution(self) { return blocks.accumulateWeightGradient(x: x, dy: dy, dw: dw, db: db) }
        if let direct = DirectConvolution(window) {
            return accumulateDirectWeightGradient(direct, x: x, dy: .stored(dy), dw: dw, db: db)
        }
        withPartGradients(dw: dw, db: db) { targets in
            forEachImageBlock(context: (self, targets, x, dy)) { context, part, images in
                let (shape, targets, x, dy) = context
                let (weightTarget, biasTarget) = targets.targets(part: part)
                ScratchBuffers.withBuffer(count: shape.columnRows * shape.outputPlane) { columns in
                    for image in images {
                        for group in 0..<shape.groups {
                            im2col(shape.window, image: x + shape.inputOffset(image, group), columns: columns)
                            sgemm(.none, .transposed, m: shape.groupOutChannels, n: shape.columnRows, k: shape.outputPlane,
                                  alpha: 1, a: dy + shape.outputOffset(image, group), lda: shape.outputPlane, b: columns,
                                  ldb: shape.outputPlane, beta: 1, c: weightTarget + shape.weightOffset(group), ldc: shape.columnRows)
                        }
                    }
                }
                if let biasTarget {
                    accumulateAxisSums(outer: images.count, size: shape.outChannels, inner: shape.outputPlane,
                                       input: dy + shape.outputOffset(images.lowerBound, 0), sums: biasTarget)
                }
            }
        }
    }

    /// The direct `accumulateWeightGradient`, with each image's dY from `dy`.
    public func accumulateDirectWeightGradient(_ direct: DirectConvolution, x: UnsafePointer<Float>, dy: ConvolutionOutputGradient,
                                               dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?) {
        withPartGradients(dw: dw, db: db) { targets in
            let job = DirectWeightGradientJob(shape: self, direct: direct, targets: targets, x: x, dy: dy)
            WorkerPool.shared.run(parts: job.parts, context: job) { job, part in job.run(part: part) }
        }
    }

    /// `accumulateWeightGradient` then `inputGradient` (the same results), for a direct stride-1
    /// convolution as one job on the worker pool: the input gradient's parts first, then the weight
    /// gradient's, so that the threads do not wait for the end of the first before starting the second
    /// (a depthwise one: one pass over its channels).
    public func accumulateGradients(x: UnsafePointer<Float>, w: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?, dx: UnsafeMutablePointer<Float>) {
        if let depthwise = DepthwiseConvolution(self) {
            return depthwise.accumulateGradients(x: x, w: w, dy: dy, dw: dw, db: db, dx: dx)
        }
        guard ImageBlockConvolution(self) == nil, let direct = DirectConvolution(window), direct.hasUnitStride else {
            accumulateWeightGradient(x: x, dy: dy, dw: dw, db: db)
            return inputGradient(w: w, dy: dy, dx: dx)
        }
        withPartGradients(dw: dw, db: db) { targets in
            let inputJob = StrideOneInputGradientJob(shape: self, direct: direct, w: w, dy: dy, dx: dx)
            let weightJob = DirectWeightGradientJob(shape: self, direct: direct, targets: targets, x: x, dy: .stored(dy))
            WorkerPool.shared.run(parts: inputJob.parts.count, context: inputJob, { job, part in job.run(part: part) },
                                  thenParts: weightJob.parts, context: weightJob, { job, part in job.run(part: part) })
        }
    }

    /// Runs `body` with the targets of each part of a batch loop over dw and db (`PartGradients`),
    /// then adds the parts' partials into dw and db.
    private func withPartGradients(dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?,
                                   _ body: (PartGradients) -> Void) {
        let parts = WorkerPool.shared.fixedParts(for: batch)
        let weightCount = outChannels * columnRows, partialCount = weightCount + (db == nil ? 0 : outChannels)
        ScratchBuffers.withBuffer(count: (parts - 1) * partialCount) { partials in
            let targets = PartGradients(weight: dw, bias: db, partials: partials, partialCount: partialCount, weightCount: weightCount)
            body(targets)
            targets.addPartials(parts: parts, biasCount: outChannels)
        }
    }

    /// The direct weight gradient's scratch per part: the unfolded images of a pass, then (from
    /// `expanded`, on a cache line) their expanded gradients, then (from `sums`) the blocks' vector
    /// sums per group, then (from `routed`) one image's dY routed back from a pooling; `count` floats in all.
    fileprivate func directWeightGradientScratch(_ direct: DirectConvolution) -> (expanded: Int, sums: Int, routed: Int, count: Int) {
        let images = min(direct.imagesPerWeightGradientPass, batch)
        let expanded = expandedGradientStart(direct, images: images)
        let sums = expanded + images * outChannels * direct.expandedGradientCount
        let routed = sums + groups * direct.weightGradientSumsCount(outChannels: groupOutChannels)
        return (expanded, sums, routed, routed + outChannels * outputPlane)
    }

    /// Where the expanded gradients of a pass of `images` images start in the scratch: after their
    /// unfolded images, on a cache line (their rows are multiples of 16 floats long, so that their
    /// vector loads do not straddle lines).
    private func expandedGradientStart(_ direct: DirectConvolution, images: Int) -> Int {
        (images * groups * direct.unfoldedImageCount + DirectConvolution.readSlack + 15) / 16 * 16
    }

    /// One part's direct weight gradient: its images in passes (unfolded, expanded, then summed by
    /// every block while they are in L1), the blocks' vector sums carried from pass to pass.
    fileprivate func accumulateDirectWeightGradient(_ direct: DirectConvolution, images: Range<Int>,
                                                    x: UnsafePointer<Float>, dy: ConvolutionOutputGradient,
                                                    scratch: UnsafeMutablePointer<Float>,
                                                    dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?) {
        let unfoldedImage = groups * direct.unfoldedImageCount, gradientRows = direct.expandedGradientCount
        let chunk = direct.imagesPerWeightGradientPass
        let layout = directWeightGradientScratch(direct), sums = scratch + layout.sums, routed = scratch + layout.routed
        let groupSums = direct.weightGradientSumsCount(outChannels: groupOutChannels)
        for first in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
            let count = min(chunk, images.upperBound - first)
            let unfolded = scratch, expanded = scratch + expandedGradientStart(direct, images: count)
            direct.unfold(count: count * groups, images: x + inputOffset(first, 0), into: unfolded)
            let (gradients, gradientStride) = dy.expanded(images: first..<(first + count), of: self, direct, into: expanded,
                                                          routedInto: routed, channelSums: db)
            for group in 0..<groups {
                let pass = DirectConvolution.WeightGradientPass(
                    sums: sums + group * groupSums, isFirst: first == images.lowerBound,
                    isLast: first + count == images.upperBound)
                direct.accumulateWeightGradient(
                    images: count, unfolded: unfolded + group * direct.unfoldedImageCount, unfoldedStride: unfoldedImage,
                    expanded: gradients + group * groupOutChannels * gradientRows, expandedStride: gradientStride,
                    outChannels: groupOutChannels, weightGradient: dw + weightOffset(group), pass: pass)
            }
        }
    }

    /// dx = the transposed convolution of dY for every image: gathered for stride 1 (in the parts of
    /// `DirectConvolution.inputGradientParts`, whose results do not depend on the split), else
    /// col2im(Wᵀ · dY); dx need not be initialised (each image is overwritten, or zero-filled by the
    /// part that computes it).
    public func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        if let depthwise = DepthwiseConvolution(self) { return depthwise.inputGradient(w: w, dy: dy, dx: dx) }
        if let blocks = ImageBlockConvolution(self) { return blocks.inputGradient(w: w, dy: dy, dx: dx) }
        if let direct = DirectConvolution(window), direct.hasUnitStride {
            let job = StrideOneInputGradientJob(shape: self, direct: direct, w: w, dy: dy, dx: dx)
            return WorkerPool.shared.run(parts: job.parts.count, context: job) { job, part in job.run(part: part) }
        }
        forEachImageBlock(context: (self, w, dy, dx)) { context, _, images in
            let (shape, w, dy, dx) = context
            let imageSize = shape.groups * shape.window.channels * shape.inputPlane
            ScratchBuffers.withBuffer(count: shape.columnRows * shape.outputPlane) { columns in
                for image in images {
                    (dx + image * imageSize).update(repeating: 0, count: imageSize)
                    for group in 0..<shape.groups {
                        sgemm(.transposed, .none, m: shape.columnRows, n: shape.outputPlane, k: shape.groupOutChannels, alpha: 1,
                              a: w + shape.weightOffset(group), lda: shape.columnRows, b: dy + shape.outputOffset(image, group),
                              ldb: shape.outputPlane, beta: 0, c: columns, ldc: shape.outputPlane)
                        col2im(shape.window, columns: columns, image: dx + shape.inputOffset(image, group))
                    }
                }
            }
        }
    }

    /// Runs `body(context, part, images)` for the parts of the batch on the worker pool; each part
    /// takes its working memory from `ScratchBuffers`. `body` captures nothing (`WorkerPool.run`),
    /// and is handed to the pool as written here: a closure passed on through another generic
    /// function would be wrapped in a reabstraction thunk, a heap allocation per call.
    @inline(__always)
    func forEachImageBlock<Context>(context: Context, _ body: @escaping (Context, _ part: Int, _ images: Range<Int>) -> Void) {
        let pool = WorkerPool.shared
        pool.forEachBlock(of: 0..<batch, parts: pool.fixedParts(for: batch), context: context, body)
    }
}

/// The parts of a direct weight gradient: the batch in `WorkerPool.decreasingPiece`s, as
/// `forEachImageBlock` splits it, each piece summed into its part's target of `targets`.
private struct DirectWeightGradientJob {
    let shape: ConvolutionShape, direct: DirectConvolution, targets: PartGradients
    let x: UnsafePointer<Float>, dy: ConvolutionOutputGradient

    /// As many as `withPartGradients` made targets for.
    var parts: Int { WorkerPool.shared.fixedParts(for: shape.batch) }

    func run(part: Int) {
        let images = WorkerPool.decreasingPiece(part, of: parts, in: 0..<shape.batch)
        let (weightTarget, biasTarget) = targets.targets(part: part)
        ScratchBuffers.withBuffer(count: shape.directWeightGradientScratch(direct).count) { scratch in
            shape.accumulateDirectWeightGradient(direct, images: images, x: x, dy: dy, scratch: scratch,
                                                 dw: weightTarget, db: biasTarget)
        }
    }
}

/// The parts of a stride-1 input gradient (`DirectConvolution.inputGradientParts`, for the pool's
/// threads), every group of each.
private struct StrideOneInputGradientJob {
    let shape: ConvolutionShape, direct: DirectConvolution, parts: StrideOneInputGradientParts
    let w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>

    init(shape: ConvolutionShape, direct: DirectConvolution, w: UnsafePointer<Float>, dy: UnsafePointer<Float>,
         dx: UnsafeMutablePointer<Float>) {
        (self.shape, self.direct, self.w, self.dy, self.dx) = (shape, direct, w, dy, dx)
        parts = direct.inputGradientParts(batch: shape.batch, outChannels: shape.groupOutChannels,
                                          threads: WorkerPool.shared.threadCount)
    }

    func run(part: Int) {
        ScratchBuffers.withBuffer(count: direct.inputGradientScratchCount(outChannels: shape.groupOutChannels)) { scratch in
            for group in 0..<shape.groups {
                direct.inputGradient(
                    part: part, of: parts, outputGradients: dy + shape.outputOffset(0, group),
                    outputGradientStride: shape.outChannels * shape.outputPlane, weights: w + shape.weightOffset(group),
                    outChannels: shape.groupOutChannels, inputGradients: dx + shape.inputOffset(0, group),
                    inputGradientStride: shape.groups * shape.window.channels * shape.inputPlane, scratch: scratch)
            }
        }
    }
}

/// Where each part of a batch loop adds its weight and bias gradients: part 0 into dw and db, part
/// p > 0 into its own zeroed partials at `partials + (p − 1)·partialCount` (weights, then biases).
private struct PartGradients {
    let weight: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>?
    let partials: UnsafeMutablePointer<Float>, partialCount: Int, weightCount: Int

    /// Part `part`'s dw and db (a part's partials are zero-filled here).
    func targets(part: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) {
        guard part > 0 else { return (weight, bias) }
        let partial = partials + (part - 1) * partialCount
        partial.update(repeating: 0, count: partialCount)
        return (partial, bias == nil ? nil : partial + weightCount)
    }

    /// Adds the partials of parts 1..<parts into dw and db, in part order.
    func addPartials(parts: Int, biasCount: Int) {
        for part in 1..<parts {
            let partial = partials + (part - 1) * partialCount
            addAssign(UnsafeMutableBufferPointer(start: weight, count: weightCount), UnsafeBufferPointer(start: partial, count: weightCount))
            if let bias {
                addAssign(UnsafeMutableBufferPointer(start: bias, count: biasCount),
                          UnsafeBufferPointer(start: partial + weightCount, count: biasCount))
            }
        }
    }
}
