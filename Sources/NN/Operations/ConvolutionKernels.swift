import NNTensor

/// The batch loops of a convolution: im2col + SGEMM per image and group, the images split into
/// `WorkerPool.fixedParts(for:)` parts that run on the worker pool, each with its own column matrix
/// from `ScratchBuffers`. With one image the split is moot and each SGEMM spreads over the pool.
/// Pointers: x [N, C, H, W], w [OC, C/groups, KH, KW], y and dy [N, OC, OH, OW].
extension ConvolutionShape {
    /// y = conv(x, w) + b for every image; y need not be initialised.
    func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        forEachImageBlock { _, images, columns in
            for image in images {
                if let b {
                    for channel in 0..<outChannels {
                        (y + (image * outChannels + channel) * outputPlane).update(repeating: b[channel], count: outputPlane)
                    }
                }
                for group in 0..<groups {
                    im2col(window, image: x + inputOffset(image, group), columns: columns)
                    sgemm(.none, .none, m: groupOutChannels, n: outputPlane, k: columnRows, alpha: 1,
                          a: w + weightOffset(group), lda: columnRows, b: columns, ldb: outputPlane,
                          beta: b == nil ? 0 : 1, c: y + outputOffset(image, group), ldc: outputPlane)
                }
            }
        }
    }

    /// dw += Σ over images of dY · columnsᵀ. Each part sums its images into its own partial
    /// (part 0: into dw), then the partials are added to dw in part order.
    func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>) {
        let weightCount = outChannels * columnRows, parts = WorkerPool.shared.fixedParts(for: batch)
        ScratchBuffers.withBuffer(count: (parts - 1) * weightCount) { partials in
            forEachImageBlock { part, images, columns in
                let target = part == 0 ? dw : partials + (part - 1) * weightCount
                if part > 0 { target.update(repeating: 0, count: weightCount) }
                for image in images {
                    for group in 0..<groups {
                        im2col(window, image: x + inputOffset(image, group), columns: columns)
                        sgemm(.none, .transposed, m: groupOutChannels, n: columnRows, k: outputPlane, alpha: 1,
                              a: dy + outputOffset(image, group), lda: outputPlane, b: columns, ldb: outputPlane,
                              beta: 1, c: target + weightOffset(group), ldc: columnRows)
                    }
                }
            }
            let gradient = UnsafeMutableBufferPointer(start: dw, count: weightCount)
            for part in 1..<parts {
                addAssign(gradient, UnsafeBufferPointer(start: partials + (part - 1) * weightCount, count: weightCount))
            }
        }
    }

    /// dx = col2im(Wᵀ · dY) for every image; dx need not be initialised (each image is zero-filled
    /// by the part that computes it).
    func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let imageSize = groups * window.channels * inputPlane
        forEachImageBlock { _, images, columns in
            for image in images {
                (dx + image * imageSize).update(repeating: 0, count: imageSize)
                for group in 0..<groups {
                    sgemm(.transposed, .none, m: columnRows, n: outputPlane, k: groupOutChannels, alpha: 1,
                          a: w + weightOffset(group), lda: columnRows, b: dy + outputOffset(image, group), ldb: outputPlane,
                          beta: 0, c: columns, ldc: outputPlane)
                    col2im(window, columns: columns, image: dx + inputOffset(image, group))
                }
            }
        }
    }

    /// Runs `body(part, images, columns)` for the parts of the batch on the worker pool, `columns`
    /// being room for one image's column matrix (C/groups·KH·KW × OH·OW).
    private func forEachImageBlock(_ body: (_ part: Int, _ images: Range<Int>, _ columns: UnsafeMutablePointer<Float>) -> Void) {
        let pool = WorkerPool.shared
        pool.forEachBlock(of: 0..<batch, parts: pool.fixedParts(for: batch)) { part, images in
            ScratchBuffers.withBuffer(count: columnRows * outputPlane) { columns in body(part, images, columns) }
        }
    }
}
