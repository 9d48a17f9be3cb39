/// Up-sampling of planes [P, H, W] → [P, OH, OW] as PyTorch's CPU kernels compute it
/// (aten/src/ATen/native/UpSample.h), in float32: each axis maps an output index to source indices
/// and weights once, and the plane loops read those tables.
public struct InterpolationAxis: Sendable {
    /// Per output index: the first and second source index and their weights (nearest: one index, weight 1).
    public let first: [Int], second: [Int]
    public let firstWeight: [Float], secondWeight: [Float]

    /// PyTorch's `nearest_idx`: the same index when the sizes agree, i/2 for an exact doubling, else
    /// min(⌊i·scale⌋, in − 1) with scale = 1/scaleFactor when given, else in/out (float32).
    public static func nearest(input: Int, output: Int, scaleFactor: Double?) -> InterpolationAxis {
        let scale = scaleFactor.map { Float(1 / $0) } ?? Float(input) / Float(output)
        let indices = (0..<output).map { index in
            if output == input { return index }
            if output == 2 * input { return index >> 1 }
            return min(Int((Float(index) * scale).rounded(.down)), input - 1)
        }
        return InterpolationAxis(first: indices, second: indices, firstWeight: Array(repeating: 1, count: output),
                                 secondWeight: Array(repeating: 0, count: output))
    }

    /// PyTorch's linear source indices (`area_pixel_compute_scale`, `area_pixel_compute_source_index`,
    /// `guard_index_and_lambda`): with `alignCorners` the corners' centres match, source = i·(in − 1)/(out − 1);
    /// else source = max(scale·(i + ½) − ½, 0), scale as for `nearest`; the two neighbours ⌊source⌋ and the
    /// next (the same at the last index), weighted 1 − λ and λ.
    public static func linear(input: Int, output: Int, alignCorners: Bool, scaleFactor: Double?) -> InterpolationAxis {
        let scale: Float = if alignCorners {
            output > 1 ? Float(input - 1) / Float(output - 1) : 0
        } else {
            scaleFactor.map { Float(1 / $0) } ?? Float(input) / Float(output)
        }
        var first = [Int](), second = [Int](), firstWeight = [Float](), secondWeight = [Float]()
        for index in 0..<output {
            let source = alignCorners ? scale * Float(index) : max(scale * (Float(index) + 0.5) - 0.5, 0)
            let lower = min(Int(source.rounded(.down)), input - 1)
            let lambda = min(max(source - Float(lower), 0), 1)
            first.append(lower)
            second.append(lower + (lower < input - 1 ? 1 : 0))
            firstWeight.append(1 - lambda)
            secondWeight.append(lambda)
        }
        return InterpolationAxis(first: first, second: second, firstWeight: firstWeight, secondWeight: secondWeight)
    }

    public var count: Int { first.count }
}

/// The sampling of planes [planes, height, width] at `rows` × `columns` (`InterpolationAxis`).
public struct Interpolation2d: Sendable {
    public let planes: Int, height: Int, width: Int
    public let rows: InterpolationAxis, columns: InterpolationAxis
    /// Nearest: one source per output, copied (no weights, so infinities stay as they are).
    public let isNearest: Bool

    public init(planes: Int, height: Int, width: Int, rows: InterpolationAxis, columns: InterpolationAxis, isNearest: Bool) {
        (self.planes, self.height, self.width, self.rows, self.columns, self.isNearest) = (planes, height, width, rows, columns, isNearest)
    }

    /// y [planes, OH, OW] from x [planes, H, W]; y need not be initialised.
    public func forward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let (outputHeight, outputWidth) = (rows.count, columns.count)
        for plane in 0..<planes {
            let source = x + plane * height * width, target = y + plane * outputHeight * outputWidth
            for row in 0..<outputHeight {
                let output = target + row * outputWidth
                let top = source + rows.first[row] * width
                if isNearest {
                    for column in 0..<outputWidth { output[column] = top[columns.first[column]] }
                    continue
                }
                let bottom = source + rows.second[row] * width
                let (topWeight, bottomWeight) = (rows.firstWeight[row], rows.secondWeight[row])
                for column in 0..<outputWidth {
                    let (left, right) = (columns.first[column], columns.second[column])
                    let (leftWeight, rightWeight) = (columns.firstWeight[column], columns.secondWeight[column])
                    output[column] = topWeight * (leftWeight * top[left] + rightWeight * top[right])
                        + bottomWeight * (leftWeight * bottom[left] + rightWeight * bottom[right])
                }
            }
        }
    }

    /// dx [planes, H, W] += the output gradient dy [planes, OH, OW] spread back with the forward weights.
    public func accumulateInputGradient(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let (outputHeight, outputWidth) = (rows.count, columns.count)
        for plane in 0..<planes {
            let gradient = dy + plane * outputHeight * outputWidth, target = dx + plane * height * width
            for row in 0..<outputHeight {
                let output = gradient + row * outputWidth
                let top = target + rows.first[row] * width
                if isNearest {
                    for column in 0..<outputWidth { top[columns.first[column]] += output[column] }
                    continue
                }
                let bottom = target + rows.second[row] * width
                let (topWeight, bottomWeight) = (rows.firstWeight[row], rows.secondWeight[row])
                for column in 0..<outputWidth {
                    let (left, right) = (columns.first[column], columns.second[column])
                    let (leftWeight, rightWeight) = (columns.firstWeight[column], columns.secondWeight[column])
                    top[left] += topWeight * leftWeight * output[column]
                    top[right] += topWeight * rightWeight * output[column]
                    bottom[left] += bottomWeight * leftWeight * output[column]
                    bottom[right] += bottomWeight * rightWeight * output[column]
                }
            }
        }
    }
}
