import NNSpec

/// A layer type that `nnspec export --to onnx` can write: the ONNX nodes (opset 17) computing the
/// layer in evaluation mode. A layer type without this conformance is refused by the ONNX export
/// at the layer, so a new layer exports only once its entry says how (docs/extending.md).
public protocol ONNXExportableLayer: BuildableLayer {
    /// Adds to `graph` the nodes that turn `graph.inputs` into `graph.output`; throws
    /// (`graph.refuse`) for argument values ONNX cannot express.
    func onnx(_ graph: inout ONNXLayerBuilder) throws(BuildError)
}

/// One ONNX attribute value.
public enum ONNXAttribute: Sendable, Equatable {
    case integer(Int)
    case integers([Int])
    case float(Float)
    case text(String)
    case texts([String])
}

/// One ONNX node: `operatorType` (opset 17, default domain) from `inputs` to `outputs`.
public struct ONNXNode: Sendable, Equatable {
    public var operatorType: String
    public var inputs: [String]
    public var outputs: [String]
    /// Attributes in the order written.
    public var attributes: [(name: String, value: ONNXAttribute)]

    public init(operatorType: String, inputs: [String], outputs: [String], attributes: [(String, ONNXAttribute)] = []) {
        self.operatorType = operatorType
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes.map { (name: $0.0, value: $0.1) }
    }

    public static func == (lhs: ONNXNode, rhs: ONNXNode) -> Bool {
        lhs.operatorType == rhs.operatorType && lhs.inputs == rhs.inputs && lhs.outputs == rhs.outputs
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name) && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }
}

/// A constant tensor a layer's nodes read besides its parameters (a Reshape's target shape, a scalar).
public struct ONNXConstant: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case float([Float])
        case int64([Int])
    }

    public var name: String
    public var shape: [Int]
    public var values: Values
}

/// Collects the nodes of one layer. Value names: the network input is `input`, a layer's output its
/// name; a layer's own intermediate values are `name/…`. Parameters are named as PyTorch's
/// (`conv1.weight`), which is also how the ONNX file's initializers are named.
public struct ONNXLayerBuilder {
    public let layer: ResolvedLayer
    /// The value names of the layer's inputs, in `from:` order.
    public let inputs: [String]
    /// The value name the layer's last node must write.
    public let output: String
    public private(set) var nodes: [ONNXNode] = []
    public private(set) var constants: [ONNXConstant] = []
    /// The parameters and buffers the nodes read, by their PyTorch names.
    public private(set) var usedParameters: [String] = []

    public init(layer: ResolvedLayer, inputs: [String], output: String) {
        self.layer = layer
        self.inputs = inputs
        self.output = output
    }

    public var arguments: Arguments { layer.arguments }

    /// The one input of a single-input layer.
    public var input: String { inputs[0] }

    /// The value name of parameter or buffer `name` of this layer (`weight` → `conv1.weight`).
    public mutating func parameter(_ name: String) -> String {
        let qualified = "\(layer.name).\(name)"
        if !usedParameters.contains(qualified) { usedParameters.append(qualified) }
        return qualified
    }

    /// Adds a node and returns its (first) output: `output` when `to` is nil and `last`, else `name/suffix`.
    @discardableResult
    public mutating func node(_ operatorType: String, _ inputs: [String], _ attributes: [(String, ONNXAttribute)] = [],
                              to suffix: String? = nil) -> String {
        let result = suffix.map { "\(layer.name)/\($0)" } ?? output
        nodes.append(ONNXNode(operatorType: operatorType, inputs: inputs, outputs: [result], attributes: attributes))
        return result
    }

    /// Adds a node with several outputs, each named `name/suffix`, and returns their names.
    public mutating func node(_ operatorType: String, _ inputs: [String], _ attributes: [(String, ONNXAttribute)] = [],
                              outputs suffixes: [String]) -> [String] {
        let results = suffixes.map { "\(layer.name)/\($0)" }
        nodes.append(ONNXNode(operatorType: operatorType, inputs: inputs, outputs: results, attributes: attributes))
        return results
    }

    /// A float constant of `shape` (a scalar when empty), named `name/suffix`.
    public mutating func constant(_ suffix: String, floats: [Float], shape: [Int] = []) -> String {
        let name = "\(layer.name)/\(suffix)"
        constants.append(ONNXConstant(name: name, shape: shape, values: .float(floats)))
        return name
    }

    /// A 1-D int64 constant (a shape or axes), named `name/suffix`.
    public mutating func constant(_ suffix: String, integers: [Int]) -> String {
        let name = "\(layer.name)/\(suffix)"
        constants.append(ONNXConstant(name: name, shape: [integers.count], values: .int64(integers)))
        return name
    }

    /// The error for an argument value ONNX cannot express, at the layer.
    public func refuse(_ message: String) -> BuildError {
        BuildError(mark: layer.mark, message: "layer \(layer.name) (\(layer.typeName)) cannot be exported to ONNX: \(message)")
    }

    /// Argument `name` as an (height, width) pair, or an error.
    public func pair(_ name: String) throws(BuildError) -> (Int, Int) {
        guard let value = arguments.pair(name) else { throw refuse("argument \(name) is not a size") }
        return value
    }
}
