/// The loops of batch normalisation over an input viewed as [N, C, S] (element (n, c, s) at
/// (n·C + c)·S + s), shared by autograd's `batchNorm` and a `TrainingPlan`. Per-channel buffers
/// (mean, variance, σ⁻¹, weight, bias, sums) have C elements; x, y, dy, dx have N·C·S.
public struct BatchNormShape {
    public let batch: Int, channels: Int, spatial: Int

    /// input [N, C] or [N, C, *].
    public init(input: [Int]) {
        (batch, channels, spatial) = splitAround(input, axis: 1)
    }

    /// σ⁻¹[c] = 1 / √(variance[c] + eps).
    public func inverseDeviations(variance: UnsafePointer<Float>, eps: Float, into inverseDeviation: UnsafeMutablePointer<Float>) {
        for c in 0..<channels { inverseDeviation[c] = 1 / (variance[c] + eps).squareRoot() }
    }

    /// Parts for the worker pool over `count` items: `balancedParts` for at least 65,536 elements,
    /// else 1. Every loop below splits channels or (image, channel) planes, whose results do not
    /// depend on the split.
    private func parts(for count: Int) -> Int { batch * channels * spatial >= 65536 ? WorkerPool.shared.balancedParts(for: count) : 1 }

    /// y = (x − mean[c]) · σ⁻¹[c] · weight[c] + bias[c] (weight 1 and bias 0 when nil), then
    /// `rectifier` if given; y need not be initialised.
    public func normalize(x: UnsafePointer<Float>, mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
                          weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>,
                          rectifier: BatchNormRectifier? = nil) {
        WorkerPool.shared.forEachBlock(of: 0..<(batch * channels), parts: parts(for: batch * channels),
                                       context: (self, x, mean, inverseDeviation, weight, bias, y, rectifier)) { context, _, planes in
            let (shape, x, mean, inverseDeviation, weight, bias, y, rectifier) = context
            for plane in planes {
                let c = plane % shape.channels, base = plane * shape.spatial
                let multiplier = inverseDeviation[c] * (weight?[c] ?? 1), offset = (bias?[c] ?? 0) - mean[c] * multiplier
                switch rectifier {
                case nil:
                    for s in base..<(base + shape.spatial) { y[s] = x[s] * multiplier + offset }
                case .relu:
                    for s in base..<(base + shape.spatial) {
                        let value = x[s] * multiplier + offset
                        y[s] = value < 0 ? 0 : value
                    }
                case .relu6:
                    for s in base..<(base + shape.spatial) {
                        let value = x[s] * multiplier + offset
                        y[s] = value < 0 ? 0 : value > 6 ? 6 : value
                    }
                }
            }
        }
    }

    /// sums[c] = Σ dy and dots[c] = Σ dy·x̂ over the channel's N·S elements, x̂ = (x − mean[c])·σ⁻¹[c]:
    /// the bias and weight gradients, and the terms of the input gradient. With `rectified` (the
    /// output of a rectifier run inside `normalize`), dy is that rectifier's output gradient.
    public func gradientSums(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                             inverseDeviation: UnsafePointer<Float>, sums: UnsafeMutablePointer<Float>, dots: UnsafeMutablePointer<Float>,
                             rectified: RectifiedOutput? = nil) {
        /// The loop over dy as `gradient` gives it.
        func run(_ gradient: some OutputGradient) {
            gradientSums(x: x, dy: gradient, mean: mean, inverseDeviation: inverseDeviation, sums: sums, dots: dots)
        }
        switch rectified?.rectifier {
        case nil: run(StoredGradient(dy: dy))
        case .relu: run(RectifiedGradient(dy: dy, output: rectified!.output))
        case .relu6: run(ClampedGradient(dy: dy, output: rectified!.output))
        }
    }

    private func gradientSums<Gradient: OutputGradient>(x: UnsafePointer<Float>, dy: Gradient, mean: UnsafePointer<Float>,
                                                        inverseDeviation: UnsafePointer<Float>, sums: UnsafeMutablePointer<Float>,
                                                        dots: UnsafeMutablePointer<Float>) {
        WorkerPool.shared.forEachBlock(of: 0..<channels, parts: parts(for: channels),
                                       context: (self, x, dy, mean, inverseDeviation, sums, dots)) { context, _, channels in
            let (shape, x, dy, mean, inverseDeviation, sums, dots) = context
            for c in channels {
                let (sum, dot) = shape.channelGradientSums(c, x: x, dy: dy, mean: mean[c])
                (sums[c], dots[c]) = (sum, dot * inverseDeviation[c])
            }
        }
    }

    /// Σ dy and Σ dy·(x − mean) over channel c's N·S elements: sixteen lanes over each plane's whole
    /// vectors and the plane ends one by one, reduced at the end.
    private func channelGradientSums<Gradient: OutputGradient>(_ c: Int, x: UnsafePointer<Float>, dy: Gradient, mean: Float) -> (Float, Float) {
        let vectorEnd = spatial / 16 * 16, meanLanes = SIMD16<Float>(repeating: mean)
        var sumLanes = SIMD16<Float>(), dotLanes = SIMD16<Float>(), sumEnds: Float = 0, dotEnds: Float = 0
        for n in 0..<batch {
            let base = (n * channels + c) * spatial
            for s in stride(from: base, to: base + vectorEnd, by: 16) {
                let gradient = dy.lanes(s)
                sumLanes += gradient
                dotLanes.addProduct(gradient, loadUnaligned(x + s, as: SIMD16<Float>.self) - meanLanes)
            }
            for s in (base + vectorEnd)..<(base + spatial) {
                sumEnds += dy[s]
                dotEnds += dy[s] * (x[s] - mean)
            }
        }
        return (sumLanes.sum() + sumEnds, dotLanes.sum() + dotEnds)
    }

    /// With batch statistics, per channel over its M = N·S elements:
    /// dx += w·σ⁻¹/M · (M·dy − Σdy − x̂·Σdy·x̂); with running statistics dx += w·σ⁻¹·dy (w 1 when nil).
    /// With `overwrites`, dx's old values are not read: each becomes 0 + its contribution, what adding
    /// into a zero-filled dx gives, bit for bit (−0 included), without the fill. `rectified`: as in
    /// `gradientSums`.
    public func accumulateInputGradient(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                        inverseDeviation: UnsafePointer<Float>, weight: UnsafePointer<Float>?, sums: UnsafePointer<Float>,
                                        dots: UnsafePointer<Float>, usesBatchStatistics: Bool, dx: UnsafeMutablePointer<Float>,
                                        overwrites: Bool = false, rectified: RectifiedOutput? = nil) {
        /// The loop over dy as `gradient` gives it.
        func run(_ gradient: some OutputGradient) {
            accumulateInputGradient(x: x, dy: gradient, mean: mean, inverseDeviation: inverseDeviation, weight: weight, sums: sums,
                                    dots: dots, usesBatchStatistics: usesBatchStatistics, dx: dx, overwrites: overwrites)
        }
        switch rectified?.rectifier {
        case nil: run(StoredGradient(dy: dy))
        case .relu: run(RectifiedGradient(dy: dy, output: rectified!.output))
        case .relu6: run(ClampedGradient(dy: dy, output: rectified!.output))
        }
    }

    private func accumulateInputGradient<Gradient: OutputGradient>(
        x: UnsafePointer<Float>, dy: Gradient, mean: UnsafePointer<Float>, inverseDeviation: UnsafePointer<Float>,
        weight: UnsafePointer<Float>?, sums: UnsafePointer<Float>, dots: UnsafePointer<Float>, usesBatchStatistics: Bool,
        dx: UnsafeMutablePointer<Float>, overwrites: Bool
    ) {
        WorkerPool.shared.forEachBlock(of: 0..<(batch * channels), parts: parts(for: batch * channels),
                                       context: (self, x, dy, mean, inverseDeviation, weight, sums, dots, usesBatchStatistics, dx, overwrites)) {
            context, _, planes in
            let (shape, x, dy, mean, inverseDeviation, weight, sums, dots, usesBatchStatistics, dx, overwrites) = context
            let count = Float(shape.batch * shape.spatial)
            /// dx[s] += value(s) over `range`, or 0 + value(s) when overwriting (two loops, each vectorised).
            @inline(__always) func add(over range: Range<Int>, _ value: (Int) -> Float) {
                if overwrites {
                    for s in range { dx[s] = 0 + value(s) }
                } else {
                    for s in range { dx[s] += value(s) }
                }
            }
            for plane in planes {
                let c = plane % shape.channels, base = plane * shape.spatial
                let factor = (weight?[c] ?? 1) * inverseDeviation[c]
                if usesBatchStatistics {
                    let (meanGradient, centre) = (sums[c] / count, mean[c])
                    let projection = dots[c] / count * inverseDeviation[c]
                    add(over: base..<(base + shape.spatial)) { s in factor * (dy[s] - meanGradient - (x[s] - centre) * projection) }
                } else {
                    add(over: base..<(base + shape.spatial)) { s in factor * dy[s] }
                }
            }
        }
    }

    /// The naive `gradientSums`, one element at a time in Double, that the fast one is tested against.
    public func gradientSumsReference(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                      inverseDeviation: UnsafePointer<Float>, sums: UnsafeMutablePointer<Float>,
                                      dots: UnsafeMutablePointer<Float>) {
        for c in 0..<channels {
            var sum: Double = 0, dot: Double = 0
            for n in 0..<batch {
                for s in 0..<spatial {
                    let index = (n * channels + c) * spatial + s
                    sum += Double(dy[index])
                    dot += Double(dy[index]) * Double(x[index] - mean[c])
                }
            }
            (sums[c], dots[c]) = (Float(sum), Float(dot) * inverseDeviation[c])
        }
    }
}

/// An activation that BatchNorm's loops run on their output inside `normalize`, and whose backward
/// pass they run on dy (`gradientSums`, `accumulateInputGradient`), with the bits of the activation
/// layer after the normalisation (`Activation.relu`, `Activation.relu6`).
public enum BatchNormRectifier: Sendable {
    /// max(0, x); backward: dy where y > 0, else 0 (PyTorch's threshold_backward).
    case relu
    /// x clamped to [0, 6]; backward: dy where 0 < y < 6, else 0, which is where 0 < x < 6 as PyTorch's
    /// hardtanh_backward selects (a NaN x gives a NaN y: 0 either way).
    case relu6
}

/// The output of a rectifier run inside `BatchNormShape.normalize`, for its backward loops.
public struct RectifiedOutput {
    public let rectifier: BatchNormRectifier
    /// The normalisation's rectified output y.
    public let output: UnsafePointer<Float>

    public init(_ rectifier: BatchNormRectifier, output: UnsafePointer<Float>) {
        self.rectifier = rectifier
        self.output = output
    }
}

/// The output gradient BatchNorm's backward loops read (see `gradientSums`).
private protocol OutputGradient {
    subscript(_ s: Int) -> Float { get }
    /// Values s..<s + 16.
    func lanes(_ s: Int) -> SIMD16<Float>
}

/// dy as stored.
private struct StoredGradient: OutputGradient {
    let dy: UnsafePointer<Float>
    @inline(__always) subscript(_ s: Int) -> Float { dy[s] }
    @inline(__always) func lanes(_ s: Int) -> SIMD16<Float> { loadUnaligned(dy + s, as: SIMD16<Float>.self) }
}

/// Behind a ReLU run inside `normalize`: that ReLU's input gradient from its output gradient dy and
/// its output y, as `Activation.relu`'s backward pass gives it (PyTorch's threshold_backward: 0 where
/// y ≤ 0, else dy).
private struct RectifiedGradient: OutputGradient {
    let dy: UnsafePointer<Float>, output: UnsafePointer<Float>
    @inline(__always) subscript(_ s: Int) -> Float { output[s] <= 0 ? 0 : dy[s] }
    @inline(__always) func lanes(_ s: Int) -> SIMD16<Float> {
        loadUnaligned(dy + s, as: SIMD16<Float>.self).replacing(with: 0, where: loadUnaligned(output + s, as: SIMD16<Float>.self) .<= 0)
    }
}

/// Behind a ReLU6 run inside `normalize`: its input gradient from its output gradient dy and its
/// output y, as `Activation.relu6`'s backward pass gives it from its input (dy where 0 < y < 6, else 0).
private struct ClampedGradient: OutputGradient {
    let dy: UnsafePointer<Float>, output: UnsafePointer<Float>
    @inline(__always) subscript(_ s: Int) -> Float { output[s] > 0 && output[s] < 6 ? dy[s] : 0 }
    @inline(__always) func lanes(_ s: Int) -> SIMD16<Float> {
        let y = loadUnaligned(output + s, as: SIMD16<Float>.self)
        return SIMD16(repeating: 0).replacing(with: loadUnaligned(dy + s, as: SIMD16<Float>.self), where: (y .> 0) .& (y .< 6))
    }
}
