import NNTensor

/// Up-sampling of images, as `nn.Upsample` over [N, C, H, W] → [N, C, OH, OW]: to `size`, or by
/// `scaleFactor` (OH = ⌊H·scale_factor⌋); mode `nearest` or `bilinear` (with `alignCorners`, the
/// corner pixels' centres aligned). The scale factor itself maps output to source positions unless
/// `recomputeScaleFactor`, which uses OH/H as PyTorch does. No parameters.
public final class Upsample: Module {
    /// PyTorch's interpolation modes this layer supports.
    public enum Mode: String, Sendable { case nearest, bilinear }

    public let size: IntOrPair?
    public let scaleFactor: Double?
    public let mode: Mode
    public let alignCorners: Bool?
    public let recomputeScaleFactor: Bool?

    /// PyTorch's rules: exactly one of size and scale_factor, align_corners only for bilinear,
    /// recompute_scale_factor only with a scale_factor.
    public init(size: IntOrPair? = nil, scaleFactor: Double? = nil, mode: Mode = .nearest, alignCorners: Bool? = nil,
                recomputeScaleFactor: Bool? = nil) throws(NNError) {
        switch (size, scaleFactor) {
        case (nil, nil): throw .invalidArgument("Upsample: either size or scale_factor should be defined")
        case (_?, _?): throw .invalidArgument("Upsample: only one of size or scale_factor should be defined")
        case (let size?, nil): try requirePositiveSizes([("size", size)], in: "Upsample")
        case (nil, let scale?) where !(scale > 0 && scale.isFinite):
            throw .invalidArgument("Upsample: scale_factor must be a positive number but is \(scale)")
        case (nil, _?): break
        }
        if mode == .nearest && alignCorners != nil {
            throw .invalidArgument("Upsample: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear")
        }
        if recomputeScaleFactor == true && size != nil {
            throw .invalidArgument("Upsample: recompute_scale_factor is not meaningful with an explicit size")
        }
        (self.size, self.scaleFactor, self.mode, self.alignCorners, self.recomputeScaleFactor) =
            (size, scaleFactor, mode, alignCorners, recomputeScaleFactor)
        super.init()
    }

    /// PyTorch's `extra_repr`: `scale_factor=2.0, mode='nearest'` or `size=(4, 5), mode='bilinear'`.
    override public var extraDescription: String {
        let target = scaleFactor.map { "scale_factor=\(PythonRepr.float($0))" } ?? "size=\(size!)"
        return "\(target), mode='\(mode.rawValue)'"
    }

    /// OH × OW for an input of H × W.
    public func outputSize(height: Int, width: Int) -> (Int, Int) {
        if let size { return size.values }
        let scale = scaleFactor!
        return (Int((Double(height) * scale).rounded(.down)), Int((Double(width) * scale).rounded(.down)))
    }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        upsample(input, try interpolation(input: input.shape))
    }

    /// The sampling of input [N, C, H, W]; autograd's error for another shape or an empty output.
    func interpolation(input shape: [Int]) throws(NNError) -> Interpolation2d {
        guard shape.count == 4, shape[2] > 0, shape[3] > 0 else {
            throw .shapeMismatch("Upsample expects input [N, C, H, W] but got \(shape)")
        }
        let (height, width) = outputSize(height: shape[2], width: shape[3])
        guard height > 0, width > 0 else {
            throw .shapeMismatch("Upsample: input and output sizes should be greater than 0, but got output \(height)×\(width) for input \(shape)")
        }
        // The kernels map positions with the scale factor unless PyTorch recomputes it from the sizes.
        let scale = recomputeScaleFactor == true ? nil : scaleFactor
        let axis = { (input: Int, output: Int) in
            self.mode == .nearest
                ? InterpolationAxis.nearest(input: input, output: output, scaleFactor: scale)
                : InterpolationAxis.linear(input: input, output: output, alignCorners: self.alignCorners ?? false, scaleFactor: scale)
        }
        return Interpolation2d(planes: shape[0] * shape[1], height: shape[2], width: shape[3], rows: axis(shape[2], height),
                               columns: axis(shape[3], width), isNearest: mode == .nearest)
    }
}
