/// Merges dimensions start_dim…end_dim into one, as `nn.Flatten` (defaults 1 and −1).
/// input [N, C, H, W] → output [N, C·H·W] with the defaults.
public final class Flatten: Module {
    public let startDim: Int, endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }

    override public var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }

    override public func forward(_ input: Variable) throws(NNError) -> Variable {
        let rank = input.shape.count
        guard rank > 0 else { return input }
        let start = try normalizedDimension(startDim, rank: rank, "Flatten start_dim")
        let end = try normalizedDimension(endDim, rank: rank, "Flatten end_dim")
        guard start <= end else {
            throw .invalidArgument("Flatten: start_dim \(startDim) comes after end_dim \(endDim) for input \(input.shape)")
        }
        let shape = Array(input.shape[..<start]) + [Array(input.shape[start...end]).elementCount] + Array(input.shape[(end + 1)...])
        return try reshape(input, to: shape)
    }
}
