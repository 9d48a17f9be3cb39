import NNTensor

/// A change applied to every input sample once, when the data is loaded (torchvision's transforms).
///
/// Shapes: inputs [count] + sample shape; a sample's first dimension is its channel dimension
/// (images [C, H, W]; feature vectors [F], where each feature counts as a channel).
public enum InputTransform: Equatable, Sendable {
    /// Multiplies every value (`1/255` for bytes, `1/16` for the digits' 0…16).
    case scale(Float)
    /// `(x − mean[c]) / std[c]` per channel c; one mean and std apply to every channel.
    case normalize(mean: [Float], std: [Float])
    /// Zero-pads the last two dimensions by `padding` on each side: [C, H, W] → [C, H+2p, W+2p].
    case pad(Int)

    /// The sample shape after this transform; throws when the transform does not fit `shape`.
    public func sampleShape(after shape: [Int]) throws(DataError) -> [Int] {
        switch self {
        case .scale(let factor):
            guard factor.isFinite else { throw .invalidArgument("scale factor \(factor) is not finite") }
            return shape
        case .normalize(let mean, let std):
            let channels = shape.first ?? 1
            guard !mean.isEmpty, mean.count == std.count, mean.count == 1 || mean.count == channels else {
                throw .invalidArgument("normalize has \(mean.count) means and \(std.count) stds, but samples of shape \(shape) have \(channels) channels")
            }
            guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw .invalidArgument("normalize needs finite means and positive stds, got mean \(mean), std \(std)")
            }
            return shape
        case .pad(let padding):
            guard padding >= 0 else { throw .invalidArgument("pad \(padding) is negative") }
            guard shape.count >= 2 else {
                throw .invalidArgument("pad needs samples with height and width, but samples have shape \(shape)")
            }
            return shape.dropLast(2) + shape.suffix(2).map { $0 + 2 * padding }
        }
    }

    /// Transforms `inputs` [count] + sample shape, in place where the shape stays.
    public func apply(to inputs: inout Tensor) throws(DataError) {
        let outputSampleShape = try sampleShape(after: Array(inputs.shape.dropFirst()))
        switch self {
        case .scale(let factor):
            inputs.scalars.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] *= factor }
            }
        case .normalize(let mean, let std):
            normalize(&inputs, mean: mean, std: std)
        case .pad(let padding):
            inputs = padded(inputs, by: padding, to: [inputs.shape[0]] + outputSampleShape)
        }
    }

    private func normalize(_ inputs: inout Tensor, mean: [Float], std: [Float]) {
        let channels = inputs.shape.count > 1 ? inputs.shape[1] : 1
        let channelSize = inputs.shape.dropFirst(2).reduce(1, *)
        inputs.scalars.withUnsafeMutableBufferPointer { values in
            for plane in 0..<values.count / max(channelSize, 1) {
                let channel = mean.count == 1 ? 0 : plane % channels
                let shift = mean[channel], divisor = std[channel]
                for index in plane * channelSize..<(plane + 1) * channelSize {
                    values[index] = (values[index] - shift) / divisor
                }
            }
        }
    }

    /// Copies each [H, W] plane of `inputs` into the middle of a zero [H+2p, W+2p] plane.
    private func padded(_ inputs: Tensor, by padding: Int, to outputShape: [Int]) -> Tensor {
        let height = inputs.shape[inputs.rank - 2], width = inputs.shape[inputs.rank - 1]
        let paddedHeight = height + 2 * padding, paddedWidth = width + 2 * padding
        var output = Tensor(zeros: outputShape)
        let planes = inputs.count / max(height * width, 1)
        inputs.scalars.withUnsafeBufferPointer { source in
            output.scalars.withUnsafeMutableBufferPointer { destination in
                for plane in 0..<planes {
                    for row in 0..<height {
                        let from = source.baseAddress! + (plane * height + row) * width
                        let to = destination.baseAddress! + (plane * paddedHeight + row + padding) * paddedWidth + padding
                        to.update(from: from, count: width)
                    }
                }
            }
        }
        return output
    }
}
