/// What a layer's shape rule sees while it is checked: its arguments, the incoming shapes with
/// their history, and a place to report problems at the right spot of the spec.
public struct ShapeCheck {
    /// The layer as messages name it: its `name:`, or "layer 7 (Linear)".
    public let layerLabel: String
    /// The layer's arguments; `auto` ones are filled in by `infer(_:from:)`.
    public var arguments: Arguments
    public let flows: [Flow]
    /// Where layer-wide problems point (the `type:` value or the bare type name).
    let layerNode: YAMLNode
    var diagnostics: DiagnosticCollector

    init(layerLabel: String, arguments: Arguments, flows: [Flow], layerNode: YAMLNode, diagnostics: DiagnosticCollector) {
        self.layerLabel = layerLabel
        self.arguments = arguments
        self.flows = flows
        self.layerNode = layerNode
        self.diagnostics = diagnostics
    }

    /// The incoming shapes, one per input.
    public var inputs: [TensorShape] { flows.map(\.shape) }

    /// The first (or only) incoming shape.
    public var input: TensorShape { flows[0].shape }

    /// One sample's sizes of the first input: [C, H, W] for [N, C, H, W].
    public var sample: [Int] { flows[0].shape.sampleSizes }

    /// "from conv2 → MaxPool2d → Flatten" for input `index`.
    public func source(_ index: Int = 0) -> String {
        "from " + flows[index].path.joined(separator: " → ")
    }

    /// "576 (16×6×6)" for a sample dimension of input `index`.
    public func received(_ index: Int = 0, sampleDimension: Int) -> String {
        let size = flows[index].shape.sampleSizes[sampleDimension]
        guard let derivation = flows[index].derivations[sampleDimension] else { return "\(size)" }
        return "\(size) (\(derivation))"
    }

    /// Requires the input rank to be one of `ranks`; otherwise reports
    /// "conv1 expects a 4-D input [N, C, H, W] but receives [N, 400] from Flatten".
    public mutating func requireRank(_ ranks: Set<Int>, layout: String) -> Bool {
        for index in flows.indices where !ranks.contains(flows[index].shape.rank) {
            let expected = ranks.sorted().map { "\($0)-D" }.joined(separator: " or ")
            error(
                "\(layerLabel) expects a \(expected) input \(layout) but receives \(flows[index].shape) \(source(index))")
            return false
        }
        return true
    }

    /// Checks an argument against a size of the incoming sample: fills it in when it is `auto`,
    /// reports "fc1 expects in_features 400 but receives 576 (16×6×6) from conv2 → …" when it differs,
    /// with the value that would fit as the hint.
    /// Returns the size the layer should go on with (the declared one).
    @discardableResult
    public mutating func infer(_ argument: String, from sampleDimension: Int, input index: Int = 0) -> Int {
        let incoming = flows[index].shape.sampleSizes[sampleDimension]
        switch arguments[argument] {
        case .auto?:
            arguments.set(argument, .integer(incoming))
            return incoming
        case .integer(let declared)?:
            if declared != incoming {
                error(
                    "\(layerLabel) expects \(argument) \(declared) but receives \(received(index, sampleDimension: sampleDimension)) \(source(index))",
                    argument: argument,
                    hint: "write `\(argument): \(incoming)`, or `\(argument): auto` to infer it, if the layers before are right")
            }
            return declared
        default:
            return incoming
        }
    }

    /// Reports an error at the argument's value, or at the layer when the argument was not written.
    public mutating func error(_ message: String, argument: String? = nil, notes: [String] = [], hint: String? = nil) {
        diagnostics.error(message, at: argument.flatMap(arguments.node) ?? layerNode, notes: notes, hint: hint)
    }

    /// Reports a warning at the argument's value, or at the layer.
    public mutating func warning(_ message: String, argument: String? = nil, hint: String? = nil) {
        diagnostics.warning(message, at: argument.flatMap(arguments.node) ?? layerNode, hint: hint)
    }

    /// A dimension index as PyTorch reads it (negative counts from the end) for a tensor of `rank`,
    /// or nil after reporting that it is out of range.
    public mutating func resolveDimension(_ argument: String, rank: Int) -> Int? {
        guard let value = arguments.integer(argument) else { return nil }
        let resolved = value < 0 ? value + rank : value
        guard resolved >= 0, resolved < rank else {
            error(
                "\(layerLabel) \(argument) \(value) is out of range for the \(rank)-D input \(input) (valid: \(-rank)…\(rank - 1))",
                argument: argument)
            return nil
        }
        return resolved
    }
}

/// A tensor on its way through the network as the validator follows it.
public struct Flow: Sendable {
    public var shape: TensorShape
    /// Sample dimension → how its size was computed ("16×6×6").
    public var derivations: [Int: String]
    /// Where it came from: the last named layer (or `input`), then the unnamed layers that
    /// changed its shape: ["conv2", "MaxPool2d", "Flatten"].
    public var path: [String]
}
