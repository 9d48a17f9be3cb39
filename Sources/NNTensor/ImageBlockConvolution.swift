/// A convolution whose output planes are small (OH·OW ≤ `largestOutputPlane`: ResNet-18's last stages
/// at 64×64, whose planes are 4×4 and 2×2; strided ones up to 128 positions, see `init`) computed as one
/// SGEMM per block of images: the column
/// matrices of the block's images side by side, [C·KH·KW, images·OH·OW], so that the product is
/// `blockColumns` wide where one image's would be OH·OW (4 columns of a 32-column micro-tile).
///
/// Per block of B images (n = B·OH·OW columns; `imagesPerBlock`, which does not depend on the thread count):
/// forward Y [OC, n] = W · columns (+ bias), scattered into each image's [OC, OH, OW];
/// weight gradient dW [OC, C·KH·KW] += dY [OC, n] · columnsᵀ (dY gathered side by side);
/// input gradient columns = Wᵀ · dY, folded back into each image (`col2im`'s sums).
/// Unfolding and folding gather through a table of the input position each tap reads for each output
/// position (an image's rows are too short for `im2col`'s runs). The forward pass and the input
/// gradient run whole blocks over the worker pool when the batch has two or more; a single block, and
/// the weight gradient's blocks (added into dW in order), split their unfolding over the images and their
/// SGEMMs by themselves.
/// Groups of 1 only. Pointers as in `ConvolutionShape`: x [N, C, H, W], w [OC, C, KH, KW], y and dy [N, OC, OH, OW].
public struct ImageBlockConvolution {
    public let shape: ConvolutionShape

    /// Output planes of up to this many positions are computed by image blocks: the stride-1 kernels'
    /// tiles are 64 outputs wide, the im2col SGEMM's micro-tiles 32.
    public static let largestOutputPlane = 63
    /// Columns of a block's matrices, at most (one image's when its plane is wider).
    static let blockColumns = 256

    /// nil unless `shape` has one group and a small non-empty output plane: below
    /// `largestOutputPlane` positions, or up to half `blockColumns` where no stride-1 kernel applies
    /// (ResNet-18's stride-2 convolutions onto 8×8 at 64×64: one SGEMM of 4 images instead of 4 of
    /// 64 columns, and a weight gradient four times deeper).
    public init?(_ shape: ConvolutionShape) {
        let plane = shape.outputPlane
        guard shape.groups == 1, plane > 0,
              plane <= Self.largestOutputPlane || plane <= Self.blockColumns / 2 && DirectConvolution(shape.window)?.hasUnitStride != true
        else { return nil }
        self.shape = shape
    }

    /// Images per block: as many as fill `blockColumns`, at most the batch.
    public var imagesPerBlock: Int { max(1, min(shape.batch, Self.blockColumns / shape.outputPlane)) }

    /// Floats of the working memory of one block: its columns [C·KH·KW, n], then dY or Y [OC, n].
    private var blockScratch: Int { (shape.columnRows + shape.outChannels) * imagesPerBlock * shape.outputPlane }

    /// y = conv(x, w) + b for every image; y need not be initialised.
    public func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        forEachBlockOverPool(ForwardBlocks(x: x, w: w, b: b, y: y))
    }

    /// dw += Σ over images of dY · columnsᵀ (block by block, in order), and db (if given) += Σ over
    /// images and positions of dY.
    public func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                                         db: UnsafeMutablePointer<Float>?) {
        let columnCount = shape.columnRows * imagesPerBlock * shape.outputPlane
        ScratchBuffers.withBuffer(count: blockScratch) { scratch in
            let columns = scratch, gradients = scratch + columnCount
            for block in 0..<blockCount {
                let images = images(ofBlock: block), width = images.count * shape.outputPlane
                unfold(images, x: x, into: columns)
                copyPlanes(images.count, from: dy + shape.outputOffset(images.lowerBound, 0), sideBySide: false, to: gradients)
                sgemm(.none, .transposed, m: shape.outChannels, n: shape.columnRows, k: width, alpha: 1, a: gradients, lda: width,
                      b: columns, ldb: width, beta: 1, c: dw, ldc: shape.columnRows)
            }
        }
        if let db {
            accumulateAxisSums(outer: shape.batch, size: shape.outChannels, inner: shape.outputPlane, input: dy, sums: db)
        }
    }

    /// dx = the transposed convolution of dY for every image; dx need not be initialised.
    public func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        forEachBlockOverPool(InputGradientBlocks(w: w, dy: dy, dx: dx))
    }

    /// The images of block `block`: the batch in consecutive blocks of `imagesPerBlock`, the last one
    /// possibly fewer.
    private func images(ofBlock block: Int) -> Range<Int> {
        let first = block * imagesPerBlock
        return first..<min(first + imagesPerBlock, shape.batch)
    }

    /// The blocks of the batch.
    private var blockCount: Int { (shape.batch + imagesPerBlock - 1) / imagesPerBlock }

    /// Runs `pass` on each block of the batch with the block's working memory: whole blocks over the
    /// worker pool when there are two or more (a block's unfolding, product and copies then run on one
    /// thread, its data in that core's cache); a single block on the calling thread, whose loops split
    /// over the pool. A block's results do not depend on the split.
    private func forEachBlockOverPool<Pass: BlockPass>(_ pass: Pass) {
        WorkerPool.shared.run(parts: blockCount, context: (self, pass)) { context, block in
            let (convolution, pass) = context, shape = convolution.shape, images = convolution.images(ofBlock: block)
            let columnCount = shape.columnRows * images.count * shape.outputPlane
            ScratchBuffers.withBuffer(count: convolution.blockScratch) { scratch in
                pass.run(convolution, images: images, columns: scratch, products: scratch + columnCount)
            }
        }
    }

    /// Copies the [OC, OH·OW] planes of `count` consecutive images between their own layout
    /// [count, OC, OH·OW] and the side-by-side layout [OC, count·OH·OW]: from the side-by-side one
    /// when `sideBySide`, else into it.
    fileprivate func copyPlanes(_ count: Int, from source: UnsafePointer<Float>, sideBySide: Bool, to destination: UnsafeMutablePointer<Float>) {
        let plane = shape.outputPlane, width = count * plane
        for image in 0..<count {
            for channel in 0..<shape.outChannels {
                let own = (image * shape.outChannels + channel) * plane, blocked = channel * width + image * plane
                copyRun(from: source + (sideBySide ? blocked : own), to: destination + (sideBySide ? own : blocked), count: plane)
            }
        }
    }

    /// The column matrices of `images`, side by side in `columns` [C·KH·KW, images·OH·OW]: the
    /// values `im2col` would unfold, gathered straight into place.
    func unfold(_ images: Range<Int>, x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        transfer(images, images: UnsafeMutablePointer(mutating: x), columns: columns, folding: false)
    }

    /// dx of `images` = the adjoint of `unfold` for their side-by-side columns [C·KH·KW,
    /// images·OH·OW]: each image zero-filled, then every column entry added to the input position
    /// it was read from, in `col2im`'s order (by channel, kernel row, kernel column).
    func fold(_ images: Range<Int>, columns: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        transfer(images, images: dx, columns: UnsafeMutablePointer(mutating: columns), folding: true)
    }

    /// `unfold` (`folding` false: `imageData` is read, `columns` written) or `fold` (`folding`:
    /// `columns` is read, `imageData` zero-filled and added into), entry by entry through the tap
    /// table (`withTapSources`); the images split over the pool.
    private func transfer(_ images: Range<Int>, images imageData: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>,
                          folding: Bool) {
        withTapSources { sources in
            let pool = WorkerPool.shared
            let context = (shape, images.lowerBound, images.count * shape.outputPlane, imageData, columns, sources, folding)
            let parts = pool.balancedParts(for: images.count, elements: images.count * shape.columnRows * shape.outputPlane)
            pool.forEachBlock(of: images, parts: parts, context: context) { context, _, piece in
                let (shape, first, width, imageData, columns, sources, folding) = context
                let plane = shape.outputPlane, taps = shape.window.kernelHeight * shape.window.kernelWidth
                for image in piece {
                    let imageStart = imageData + shape.inputOffset(image, 0)
                    if folding { imageStart.update(repeating: 0, count: shape.window.channels * shape.inputPlane) }
                    var row = columns + (image - first) * plane
                    for channel in 0..<shape.window.channels {
                        let channelPlane = imageStart + channel * shape.inputPlane
                        for tap in 0..<taps {
                            let tapSources = sources + tap * plane
                            if folding {
                                for position in 0..<plane where tapSources[position] >= 0 {
                                    channelPlane[tapSources[position]] += row[position]
                                }
                            } else {
                                for position in 0..<plane {
                                    let offset = tapSources[position]
                                    row[position] = offset < 0 ? 0 : channelPlane[offset]
                                }
                            }
                            row += width
                        }
                    }
                }
            }
        }
    }

    /// Runs `body` with the input position (within one channel's H·W plane) that each kernel tap
    /// reads for each output position: entry t·OH·OW + p for tap t = (kernel row, kernel column) in
    /// `im2col`'s row order and output position p, −1 where the tap reads padding.
    private func withTapSources<Result>(_ body: (UnsafePointer<Int>) -> Result) -> Result {
        let window = shape.window
        return ScratchBuffers.withBuffer(of: Int.self, count: window.kernelHeight * window.kernelWidth * shape.outputPlane) { sources in
            var entry = 0
            for kernelRow in 0..<window.kernelHeight {
                for kernelColumn in 0..<window.kernelWidth {
                    for outputRow in 0..<window.outputHeight {
                        let row = outputRow * window.strideHeight - window.paddingHeight + kernelRow * window.dilationHeight
                        for outputColumn in 0..<window.outputWidth {
                            let column = outputColumn * window.strideWidth - window.paddingWidth + kernelColumn * window.dilationWidth
                            let inside = (0..<window.height).contains(row) && (0..<window.width).contains(column)
                            sources[entry] = inside ? row * window.width + column : -1
                            entry += 1
                        }
                    }
                }
            }
            return body(UnsafePointer(sources))
        }
    }
}

/// What `ImageBlockConvolution.forEachBlockOverPool` runs on one block of images, with the block's
/// working memory: columns [C·KH·KW, n] and products [OC, n] (n = images·OH·OW).
private protocol BlockPass {
    func run(_ convolution: ImageBlockConvolution, images: Range<Int>, columns: UnsafeMutablePointer<Float>,
             products: UnsafeMutablePointer<Float>)
}

/// Y [OC, n] = W · columns (+ bias), scattered into each image's [OC, OH, OW].
private struct ForwardBlocks: BlockPass {
    let x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>

    func run(_ convolution: ImageBlockConvolution, images: Range<Int>, columns: UnsafeMutablePointer<Float>,
             products: UnsafeMutablePointer<Float>) {
        let shape = convolution.shape, width = images.count * shape.outputPlane
        convolution.unfold(images, x: x, into: columns)
        if let b {
            for channel in 0..<shape.outChannels { (products + channel * width).update(repeating: b[channel], count: width) }
        }
        sgemm(.none, .none, m: shape.outChannels, n: width, k: shape.columnRows, alpha: 1, a: w, lda: shape.columnRows,
              b: columns, ldb: width, beta: b == nil ? 0 : 1, c: products, ldc: width)
        convolution.copyPlanes(images.count, from: products, sideBySide: true, to: y + shape.outputOffset(images.lowerBound, 0))
    }
}

/// columns = Wᵀ · dY (dY gathered side by side in `products`), folded back into each image of dx.
private struct InputGradientBlocks: BlockPass {
    let w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>

    func run(_ convolution: ImageBlockConvolution, images: Range<Int>, columns: UnsafeMutablePointer<Float>,
             products: UnsafeMutablePointer<Float>) {
        let shape = convolution.shape, width = images.count * shape.outputPlane
        convolution.copyPlanes(images.count, from: dy + shape.outputOffset(images.lowerBound, 0), sideBySide: false, to: products)
        sgemm(.transposed, .none, m: shape.columnRows, n: width, k: shape.outChannels, alpha: 1, a: w, lda: shape.columnRows,
              b: products, ldb: width, beta: 0, c: columns, ldc: width)
        convolution.fold(images, columns: columns, into: dx)
    }
}
