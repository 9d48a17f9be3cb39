import Foundation

/// Class-target negative log-likelihood over log-probabilities viewed as [batch, classes, spatial]
/// (element e = n·spatial + s; its class c at (n·classes + c)·spatial + s), shared by autograd's
/// `classificationLoss` and a `TrainingPlan`. With w the class weights and ε the label smoothing:
/// ℓ = −(1 − ε)·w_y·log p_y − ε/C · Σ_c w_c·log p_c; an element whose target is `ignoreIndex`
/// contributes nothing.
public struct ClassificationLossShape {
    public let batch: Int, classes: Int, spatial: Int
    public let ignoreIndex: Int
    public let labelSmoothing: Float
    /// The input is logits (cross entropy: the gradient goes through log-softmax), else log-probabilities.
    public let fromLogits: Bool

    /// input [N, C] or [N, C, d…]: N, C and the product of d….
    public init(input: [Int], ignoreIndex: Int, labelSmoothing: Float, fromLogits: Bool) {
        (batch, classes, spatial) = splitAround(input, axis: 1)
        self.ignoreIndex = ignoreIndex
        self.labelSmoothing = labelSmoothing
        self.fromLogits = fromLogits
    }

    /// Writes each element's ℓ into `losses` when given (0 for an ignored element) and returns the
    /// sum of the ℓ in element order and the mean's denominator Σ w_y over the kept elements.
    public func losses(logp: UnsafePointer<Float>, targets: UnsafePointer<Int>, weight: UnsafePointer<Float>,
                       into losses: UnsafeMutablePointer<Float>?) -> (total: Float, denominator: Float) {
        var total: Float = 0, denominator: Float = 0
        for n in 0..<batch {
            for s in 0..<spatial {
                let element = n * spatial + s, target = targets[element]
                guard target != ignoreIndex else {
                    losses?[element] = 0
                    continue
                }
                let base = n * classes * spatial + s
                var loss = -(1 - labelSmoothing) * weight[target] * logp[base + target * spatial]
                if labelSmoothing > 0 {
                    var smooth: Float = 0
                    for c in 0..<classes { smooth += weight[c] * logp[base + c * spatial] }
                    loss -= labelSmoothing / Float(classes) * smooth
                }
                losses?[element] = loss
                total += loss
                denominator += weight[target]
            }
        }
        return (total, denominator)
    }

    /// dx += the gradient of Σ_e s_e·ℓ_e, s_e = `elementScales[e]` when given, else `uniformScale`.
    /// With g_c = −s·((1 − ε)·w_y·[c = y] + ε/C·w_c) the gradient with respect to log p_c, through
    /// log-softmax dx_c = g_c + p_c·s·((1 − ε)·w_y + ε/C·Σw). `weightTotal` is Σw. Split over the
    /// worker pool by the batch when large (each element's gradient is its own).
    public func accumulateInputGradient(logp: UnsafePointer<Float>, targets: UnsafePointer<Int>, weight: UnsafePointer<Float>,
                                        weightTotal: Float, uniformScale: Float, elementScales: UnsafePointer<Float>?,
                                        dx: UnsafeMutablePointer<Float>) {
        let pool = WorkerPool.shared
        pool.forEachBlock(of: 0..<batch, parts: pool.balancedParts(for: batch, elements: batch * classes * spatial),
                          context: (self, logp, targets, weight, weightTotal, uniformScale, elementScales, dx)) { context, _, rows in
            let (shape, logp, targets, weight, weightTotal, uniformScale, elementScales, dx) = context
            shape.accumulateInputGradient(rows: rows, logp: logp, targets: targets, weight: weight, weightTotal: weightTotal,
                                          uniformScale: uniformScale, elementScales: elementScales, dx: dx)
        }
    }

    /// `accumulateInputGradient` for the elements of batch rows `rows`.
    private func accumulateInputGradient(rows: Range<Int>, logp: UnsafePointer<Float>, targets: UnsafePointer<Int>,
                                         weight: UnsafePointer<Float>, weightTotal: Float, uniformScale: Float,
                                         elementScales: UnsafePointer<Float>?, dx: UnsafeMutablePointer<Float>) {
        let uniformShare = labelSmoothing / Float(classes)
        /// s·((1 − ε)·w_y + ε/C·Σw) for a kept element, nil for an ignored one.
        func probabilityScale(_ element: Int) -> Float? {
            let target = targets[element]
            guard target != ignoreIndex else { return nil }
            return (elementScales?[element] ?? uniformScale) * ((1 - labelSmoothing) * weight[target] + uniformShare * weightTotal)
        }
        for n in rows {
            for s in 0..<spatial {
                let element = n * spatial + s, target = targets[element]
                guard target != ignoreIndex else { continue }
                let scale = elementScales?[element] ?? uniformScale
                let base = n * classes * spatial + s
                if labelSmoothing > 0 {
                    for c in 0..<classes { dx[base + c * spatial] -= scale * uniformShare * weight[c] }
                }
                dx[base + target * spatial] -= scale * (1 - labelSmoothing) * weight[target]
            }
            guard fromLogits else { continue }
            // The log-softmax term p_c·s·(…) last, as each element's own loop would add it: 16 classes
            // at a time when the row is one element, else 16 elements side by side.
            let row = n * classes * spatial
            if spatial == 1 {
                guard let scale = probabilityScale(n) else { continue }
                forEachChunkOf16(classes) { start, lanes in
                    let probabilities = VectorExp.exp(loadLanes(logp + row + start, lanes))
                    storeLanes(loadLanes(dx + row + start, lanes) + scale * probabilities, dx + row + start, lanes)
                }
            } else {
                forEachChunkOf16(spatial) { start, lanes in
                    var scales = SIMD16<Float>(), kept = SIMDMask<SIMD16<Int32>>()
                    for lane in 0..<lanes {
                        guard let scale = probabilityScale(n * spatial + start + lane) else { continue }
                        (scales[lane], kept[lane]) = (scale, true)
                    }
                    for c in 0..<classes {
                        let index = row + c * spatial + start
                        let gradient = loadLanes(dx + index, lanes)
                        let probabilities = VectorExp.exp(loadLanes(logp + index, lanes))
                        storeLanes(gradient.replacing(with: gradient + scales * probabilities, where: kept), dx + index, lanes)
                    }
                }
            }
        }
    }
}
