import NNTensor

/// The batch loops of a convolution, the images split into `WorkerPool.fixedParts(for:)` parts that
/// run on the worker pool, each with its own working memory from `ScratchBuffers`.
/// Stride 1 (`StrideOneConvolution`): forward and weight gradient read an image unfolded along the
/// kernel columns (KW copies) as the column matrix,
/// the input gradient gathers from dY directly. Otherwise: im2col + SGEMM per image and group
/// (with one image the split is moot and each SGEMM spreads over the pool), and Wᵀ · dY + col2im.
/// Pointers: x [N, C, H, W], w [OC, C/groups, KH, KW], y and dy [N, OC, OH, OW].
extension ConvolutionShape {
    /// y = conv(x, w) + b for every image; y need not be initialised.
    func forward(x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        if let direct = StrideOneConvolution(window) {
            let unfoldedImage = direct.unfoldedImageCount
            return forEachImageBlock(scratch: groups * unfoldedImage + StrideOneConvolution.readSlack) { _, images, unfolded in
                for image in images {
                    direct.unfold(count: groups, images: x + inputOffset(image, 0), into: unfolded)
                    for group in 0..<groups {
                        direct.forward(unfolded: unfolded + group * unfoldedImage, weights: w + weightOffset(group),
                                       outChannels: groupOutChannels, bias: b.map { $0 + group * groupOutChannels },
                                       output: y + outputOffset(image, group))
                    }
                }
            }
        }
        forEachImageBlock(scratch: columnRows * outputPlane) { _, images, columns in
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

    /// dw += Σ over images of dY · columnsᵀ, and db (if given) += Σ over images and positions of dY.
    /// Each part sums its images into its own partials (part 0: into dw and db), then the partials
    /// are added in part order.
    func accumulateWeightGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
                                  db: UnsafeMutablePointer<Float>? = nil) {
        let weightCount = outChannels * columnRows, parts = WorkerPool.shared.fixedParts(for: batch)
        let partialCount = weightCount + (db == nil ? 0 : outChannels)
        ScratchBuffers.withBuffer(count: (parts - 1) * partialCount) { partials in
            /// Part `part`'s dw and db.
            func targets(part: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>?) {
                guard part > 0 else { return (dw, db) }
                let partial = partials + (part - 1) * partialCount
                partial.update(repeating: 0, count: partialCount)
                return (partial, db == nil ? nil : partial + weightCount)
            }
            if let direct = StrideOneConvolution(window) {
                let unfoldedImage = groups * direct.unfoldedImageCount, gradientRows = direct.expandedGradientCount
                let expandedImage = outChannels * gradientRows, chunk = direct.imagesPerWeightGradientPass
                // The expanded gradients start on a cache line (their rows are multiples of 16 floats
                // long), so that their vector loads do not straddle lines.
                func expandedStart(_ count: Int) -> Int { (count * unfoldedImage + StrideOneConvolution.readSlack + 15) / 16 * 16 }
                let chunkFloats = expandedStart(min(chunk, batch)) + min(chunk, batch) * expandedImage
                let groupSums = direct.weightGradientSumsCount(outChannels: groupOutChannels)
                // Per part: the images in chunks (unfolded, expanded, then summed by every block while
                // they are in L1), the blocks' vector sums carried from chunk to chunk.
                forEachImageBlock(scratch: chunkFloats + groups * groupSums) { part, images, scratch in
                    let (weightTarget, biasTarget) = targets(part: part)
                    for first in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
                        let count = min(chunk, images.upperBound - first)
                        let unfolded = scratch, expanded = scratch + expandedStart(count)
                        direct.unfold(count: count * groups, images: x + inputOffset(first, 0), into: unfolded)
                        for image in 0..<count {
                            direct.expandOutputGradient(dy + outputOffset(first + image, 0), outChannels: outChannels,
                                                        into: expanded + image * expandedImage, channelSums: biasTarget)
                        }
                        for group in 0..<groups {
                            let pass = StrideOneConvolution.WeightGradientPass(
                                sums: scratch + chunkFloats + group * groupSums, isFirst: first == images.lowerBound,
                                isLast: first + count == images.upperBound)
                            direct.accumulateWeightGradient(
                                images: count, unfolded: unfolded + group * direct.unfoldedImageCount, unfoldedStride: unfoldedImage,
                                expanded: expanded + group * groupOutChannels * gradientRows, expandedStride: expandedImage,
                                outChannels: groupOutChannels, weightGradient: weightTarget + weightOffset(group), pass: pass)
                        }
                    }
                }
            } else {
                forEachImageBlock(scratch: columnRows * outputPlane) { part, images, columns in
                    let (weightTarget, biasTarget) = targets(part: part)
                    for image in images {
                        for group in 0..<groups {
                            im2col(window, image: x + inputOffset(image, group), columns: columns)
                            sgemm(.none, .transposed, m: groupOutChannels, n: columnRows, k: outputPlane, alpha: 1,
                                  a: dy + outputOffset(image, group), lda: outputPlane, b: columns, ldb: outputPlane,
                                  beta: 1, c: weightTarget + weightOffset(group), ldc: columnRows)
                        }
                    }
                    if let biasTarget {
                        accumulateAxisSums(outer: images.count, size: outChannels, inner: outputPlane,
                                           input: dy + outputOffset(images.lowerBound, 0), sums: biasTarget)
                    }
                }
            }
            let gradient = UnsafeMutableBufferPointer(start: dw, count: weightCount)
            for part in 1..<parts {
                let partial = partials + (part - 1) * partialCount
                addAssign(gradient, UnsafeBufferPointer(start: partial, count: weightCount))
                if let db {
                    addAssign(UnsafeMutableBufferPointer(start: db, count: outChannels),
                              UnsafeBufferPointer(start: partial + weightCount, count: outChannels))
                }
            }
        }
    }

    /// dx = the transposed convolution of dY for every image: gathered per input row for stride 1,
    /// else col2im(Wᵀ · dY); dx need not be initialised (each image is overwritten, or zero-filled
    /// by the part that computes it).
    func inputGradient(w: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        if let direct = StrideOneConvolution(window) {
            return forEachImageBlock(scratch: direct.inputGradientScratchCount(outChannels: groupOutChannels)) { _, images, scratch in
                for group in 0..<groups {
                    direct.inputGradient(images: images.count, outputGradients: dy + outputOffset(images.lowerBound, group),
                                         outputGradientStride: outChannels * outputPlane, weights: w + weightOffset(group),
                                         outChannels: groupOutChannels, inputGradients: dx + inputOffset(images.lowerBound, group),
                                         inputGradientStride: groups * window.channels * inputPlane, scratch: scratch)
                }
            }
        }
        let imageSize = groups * window.channels * inputPlane
        forEachImageBlock(scratch: columnRows * outputPlane) { _, images, columns in
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

    /// Runs `body(part, images, scratch)` for the parts of the batch on the worker pool, `scratch`
    /// being room for `scratch` floats.
    private func forEachImageBlock(scratch count: Int,
                                   _ body: (_ part: Int, _ images: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let pool = WorkerPool.shared
        pool.forEachBlock(of: 0..<batch, parts: pool.fixedParts(for: batch)) { part, images in
            ScratchBuffers.withBuffer(count: count) { scratch in body(part, images, scratch) }
        }
    }
}
