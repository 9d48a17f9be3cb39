/// Sizes and offsets of one 2-D convolution over a batch, shared by its forward and backward batch
/// loops (ConvolutionKernels.swift). x [N, C, H, W], w [OC, C/groups, KH, KW], y [N, OC, OH, OW];
/// `window` is one group's window (C/groups channels).
public struct ConvolutionShape {
    public let window: Window2d
    public let batch: Int, outChannels: Int, groups: Int

    public init(window: Window2d, batch: Int, outChannels: Int, groups: Int) {
        (self.window, self.batch, self.outChannels, self.groups) = (window, batch, outChannels, groups)
    }

    public var groupOutChannels: Int { outChannels / groups }
    /// Rows of the im2col matrix: C/groups · KH · KW.
    public var columnRows: Int { window.channels * window.kernelHeight * window.kernelWidth }
    public var outputPlane: Int { window.outputHeight * window.outputWidth }
    public var inputPlane: Int { window.height * window.width }

    /// Offsets, in floats, of image `image`'s group `group` in x and y, and of group `group`'s weights in w.
    public func inputOffset(_ image: Int, _ group: Int) -> Int { (image * groups + group) * window.channels * inputPlane }
    public func weightOffset(_ group: Int) -> Int { group * groupOutChannels * columnRows }
    public func outputOffset(_ image: Int, _ group: Int) -> Int { (image * outChannels + group * groupOutChannels) * outputPlane }
}
