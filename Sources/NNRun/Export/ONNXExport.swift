import Foundation
import NN
import NNCatalogue
import NNSpec
import ONNXSchema
import SwiftProtobuf

/// `nnspec export SPEC --to onnx --weights W --output model.onnx`: the network in evaluation mode as
/// an ONNX model (opset 17, IR version 8): graph input `input` and output `output` of the spec's
/// shapes with the batch dimension symbolic (`dim_param: "N"`), each layer the nodes its catalogue
/// entry gives (`ONNXExportableLayer`), the weights as initializers named as PyTorch's parameters.
public enum ONNXExport {
    public static let opset: Int64 = 17
    static let irVersion: Int64 = 8

    /// The model of `spec` (read from `file`) with the weights at `weights`.
    public static func model(of spec: ValidatedSpec, file: String, weights: String) throws(ExportError) -> Onnx_ModelProto {
        let network = try ExportWeights.network(of: spec, loading: weights)
        let state = Dictionary(network.stateDictionary().map { ($0.name, $0.variable.value) }, uniquingKeysWith: { first, _ in first })
        var graph = Onnx_GraphProto()
        graph.name = spec.name
        graph.input = [valueInfo(Graph.inputName, spec.input)]
        graph.output = [valueInfo(outputName, spec.output)]
        let values = LayerValues(spec)
        var used: [String] = []
        for (index, layer) in spec.layers.enumerated() {
            var builder = ONNXLayerBuilder(layer: layer, inputs: values.inputs[index], output: values.outputs[index])
            guard let definition = StandardCatalogue.layers.first(where: { $0.typeName == layer.typeName }) as? any ONNXExportableLayer else {
                throw ExportError(file: file, mark: layer.mark,
                                  "layer \(layer.name) (\(layer.typeName)) cannot be exported to ONNX: its catalogue entry has no ONNX mapping (ONNXExportableLayer)")
            }
            do {
                try definition.onnx(&builder)
            } catch {
                throw ExportError(file: file, mark: error.mark, error.message)
            }
            graph.node += builder.nodes.enumerated().map { node(layer.name, $0, $1) }
            graph.initializer += builder.constants.map(tensor)
            used += builder.usedParameters.filter { !used.contains($0) }
        }
        for name in used {
            guard let value = state[name] else { throw ExportError(file: file, "the network has no parameter or buffer \(name)") }
            graph.initializer.append(tensor(name, value.shape, floats: value.scalars))
        }
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "nnspec"
        model.opsetImport = [Onnx_OperatorSetIdProto.with { $0.domain = ""; $0.version = opset }]
        model.graph = graph
        return model
    }

    /// Writes the model of `spec` to `path` (replacing only a file nnspec wrote, or with `force`).
    public static func write(_ spec: ValidatedSpec, file: String, weights: String, to path: String, force: Bool) throws(ExportError) {
        let bytes: Data
        do {
            bytes = try model(of: spec, file: file, weights: weights).serializedData()
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(file: path, "cannot encode the ONNX model: \(error)")
        }
        try ExportedFile.checkReplaceable(path, force: force)
        do throws(FileWriteError) {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw ExportError(file: path, error.description)
        }
    }

    /// The graph's output name.
    static let outputName = "output"

    /// The ONNX value names of each layer's inputs and output (indexed as `ValidatedSpec.layers`):
    /// a layer's output is named by its dotted path (`features.0`), the network's last output is
    /// `output` (another layer named `output` becomes `output_`), and `input` is the graph input.
    /// A layer's `inputs` name siblings in its own container, and a nested container's output is its
    /// last step's, so the names are resolved container by container.
    struct LayerValues {
        private(set) var inputs: [[String]]
        private(set) var outputs: [String]

        init(_ spec: ValidatedSpec) {
            inputs = Array(repeating: [], count: spec.layers.count)
            outputs = spec.layers.indices.map { index in
                let name = spec.layers[index].name
                return index == spec.layers.count - 1 ? outputName : (name == outputName ? outputName + "_" : name)
            }
            _ = resolve(spec.steps, layers: spec.layers, containerInput: Graph.inputName)
        }

        /// Resolves the steps of one container fed by `containerInput`; returns its output's value name.
        private mutating func resolve(_ steps: [NetworkStep], layers: [ResolvedLayer], containerInput: String) -> String {
            var scope = [Graph.inputName: containerInput]
            var last = containerInput
            for step in steps {
                switch step {
                case .layer(let index):
                    inputs[index] = layers[index].inputs.map { scope[$0] ?? $0 }
                    last = outputs[index]
                    scope[layers[index].localName] = last
                case .container(let container):
                    let input = container.inputs.first.map { scope[$0] ?? $0 } ?? last
                    last = resolve(container.steps, layers: layers, containerInput: input)
                    scope[container.name] = last
                }
            }
            return last
        }
    }

    /// A float32 value of `shape` with the batch dimension named N.
    static func valueInfo(_ name: String, _ shape: TensorShape) -> Onnx_ValueInfoProto {
        Onnx_ValueInfoProto.with { info in
            info.name = name
            info.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            info.type.tensorType.shape.dim = [Onnx_TensorShapeProto.Dimension.with { $0.dimParam = "N" }]
                + shape.sampleSizes.map { size in Onnx_TensorShapeProto.Dimension.with { $0.dimValue = Int64(size) } }
        }
    }

    private static func node(_ layer: String, _ index: Int, _ node: ONNXNode) -> Onnx_NodeProto {
        Onnx_NodeProto.with { proto in
            proto.name = "\(layer)/\(node.operatorType)_\(index)"
            proto.opType = node.operatorType
            proto.input = node.inputs
            proto.output = node.outputs
            proto.attribute = node.attributes.map(attribute)
        }
    }

    private static func attribute(_ name: String, _ value: ONNXAttribute) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { proto in
            proto.name = name
            switch value {
            case .integer(let value): proto.type = .int; proto.i = Int64(value)
            case .integers(let values): proto.type = .ints; proto.ints = values.map(Int64.init)
            case .float(let value): proto.type = .float; proto.f = value
            case .text(let text): proto.type = .string; proto.s = Data(text.utf8)
            case .texts(let texts): proto.type = .strings; proto.strings = texts.map { Data($0.utf8) }
            }
        }
    }

    private static func tensor(_ constant: ONNXConstant) -> Onnx_TensorProto {
        switch constant.values {
        case .float(let values): return tensor(constant.name, constant.shape, floats: values)
        case .int64(let values):
            return Onnx_TensorProto.with { proto in
                proto.name = constant.name
                proto.dims = constant.shape.map(Int64.init)
                proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
                proto.int64Data = values.map(Int64.init)
            }
        }
    }

    /// A float32 tensor, its values as little-endian raw data.
    private static func tensor(_ name: String, _ shape: [Int], floats: [Float]) -> Onnx_TensorProto {
        Onnx_TensorProto.with { proto in
            proto.name = name
            proto.dims = shape.map(Int64.init)
            proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            var data = Data(capacity: floats.count * 4)
            for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            proto.rawData = data
        }
    }
}
