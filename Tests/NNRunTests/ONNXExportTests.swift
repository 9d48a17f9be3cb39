import Foundation
import NNCatalogue
import NNSpec
import ONNXSchema
import SwiftProtobuf
import Testing
@testable import NNRun

/// `nnspec export --to onnx`: the written bytes decoded with the generated ONNX types (opset,
/// dynamic batch dimension, nodes, initializer names and shapes), refusals at the layer, and the
/// replacement policy. tools/export_check.py runs the files through onnx's checker and onnxruntime.
@Suite struct ONNXExportTests {
    static func written(_ specPath: String, weights: String) throws -> Onnx_ModelProto {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-\(UUID().uuidString).onnx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spec = try #require(SpecValidator.standard.validate(file: repositoryRoot.appendingPathComponent(specPath).path).spec)
        try ONNXExport.write(spec, file: specPath, weights: repositoryRoot.appendingPathComponent(weights).path, to: path, force: false)
        return try Onnx_ModelProto(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func residualCNNDecodesWithItsNodesInitializersAndDynamicBatch() throws {
        let model = try Self.written("specs/parity/residual-cnn-nesterov.yaml", weights: "specs/parity/residual-cnn-nesterov-init.safetensors")
        #expect(model.opsetImport.map(\.version) == [17])
        #expect(model.irVersion == 8)
        #expect(model.producerName == "nnspec")
        let graph = model.graph
        #expect(graph.input.map(\.name) == ["input"])
        #expect(graph.input[0].type.tensorType.shape.dim.map(\.dimParam) == ["N", "", "", ""])
        #expect(graph.input[0].type.tensorType.shape.dim.map(\.dimValue) == [0, 1, 8, 8])
        #expect(graph.output[0].type.tensorType.shape.dim.map(\.dimValue) == [0, 3])
        #expect(graph.node.map(\.opType) == [
            "Conv", "BatchNormalization", "Relu", "Conv", "BatchNormalization", "Relu", "Conv", "BatchNormalization",
            "Add", "Relu", "GlobalAveragePool", "Flatten", "Gemm",
        ])
        let add = try #require(graph.node.first { $0.opType == "Add" })
        #expect(add.input == ["b1_bn2", "stem_relu"])
        #expect(graph.node.last?.output == ["output"])
        // Initializers carry PyTorch's names and shapes; BatchNorm in eval form reads the running statistics.
        let shapes = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0.dims) })
        #expect(shapes["stem.weight"] == [4, 1, 3, 3])
        #expect(shapes["stem_bn.running_var"] == [4])
        #expect(shapes["fc.weight"] == [3, 4])
        #expect(shapes["fc.bias"] == [3])
        #expect(shapes["stem_bn.num_batches_tracked"] == nil)
        #expect(graph.initializer.first { $0.name == "fc.bias" }?.rawData.count == 3 * 4)
    }

    /// Each node reads only the graph input, initializers and earlier nodes' outputs (ONNX's
    /// topological order), and every value is written once.
    static func expectTopologicallySorted(_ graph: Onnx_GraphProto) {
        var available = Set(graph.input.map(\.name) + graph.initializer.map(\.name))
        for node in graph.node {
            for input in node.input where !input.isEmpty {
                #expect(available.contains(input), "\(node.name) reads \(input) before it is written")
            }
            for output in node.output {
                #expect(!available.contains(output), "\(output) is written twice")
                available.insert(output)
            }
        }
        #expect(graph.output.allSatisfy { available.contains($0.name) })
    }

    @Test func nestedContainersReadTheirSiblingsAndTheContainerOutputIsItsLastLayers() throws {
        let model = try Self.written("specs/parity/nested-functional.yaml", weights: "specs/parity/nested-functional-init.safetensors")
        Self.expectTopologicallySorted(model.graph)
        func node(writing value: String) -> Onnx_NodeProto? { model.graph.node.first { $0.output.contains(value) } }
        // features.1 reads features.0; `relu` (after the container) reads features' last layer.
        #expect(node(writing: "features.1")?.input.first == "features.0")
        #expect(node(writing: "relu")?.input == ["features.1"])
        // block's first layer reads the container's input, the step before it.
        #expect(node(writing: "block.0")?.input.first == "relu")
        #expect(node(writing: "sum")?.input == ["block.1", "relu"])
        #expect(node(writing: "classifier.0")?.input.first == "6")
        #expect(model.graph.node.last?.output == ["output"])
    }

    @Test func causalTransformerLayerIsMatMulSoftmaxAttentionWithLayerNormalization() throws {
        let model = try Self.written("specs/parity/char-transformer-lm.yaml", weights: "specs/parity/char-transformer-lm-init.safetensors")
        Self.expectTopologicallySorted(model.graph)
        let operators = model.graph.node.filter { $0.name.hasPrefix("block/") }.map(\.opType)
        #expect(operators.filter { $0 == "Softmax" }.count == 1)
        #expect(operators.filter { $0 == "LayerNormalization" }.count == 2)
        #expect(operators.filter { $0 == "Slice" }.count == 6, "q, k and v rows of in_proj_weight and in_proj_bias")
        let mask = try #require(model.graph.initializer.first { $0.name == "block/self_attn.causal_mask" })
        #expect(mask.dims == [12, 12])
        let names = Set(model.graph.initializer.map(\.name))
        #expect(names.isSuperset(of: ["block.self_attn.in_proj_weight", "block.self_attn.out_proj.weight", "block.linear1.weight",
                                       "block.norm1.weight", "block.norm2.bias"]))
        #expect(model.graph.output[0].type.tensorType.shape.dim.map(\.dimValue) == [0, 27, 12])
    }

    @Test func transformerEncoderIsItsCopiesInTurnThenItsNorm() throws {
        let model = try Self.written("specs/parity/transformer-encoder-stack.yaml",
                                     weights: "specs/parity/transformer-encoder-stack-init.safetensors")
        Self.expectTopologicallySorted(model.graph)
        let encoder = model.graph.node.filter { $0.name.hasPrefix("encoder/") }
        #expect(encoder.filter { $0.opType == "Softmax" }.count == 2)
        #expect(encoder.filter { $0.opType == "LayerNormalization" }.count == 5, "norm1 and norm2 of each copy, then the norm")
        let names = Set(model.graph.initializer.map(\.name))
        #expect(names.isSuperset(of: ["encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.1.linear2.weight", "encoder.norm.weight"]))
        // The second copy reads the first's output; the norm reads the second's.
        let secondQuery = try #require(encoder.first { $0.output == ["encoder/layers.1.self_attn.q_product"] })
        #expect(secondQuery.input.first == "encoder/layers.0.norm2_output")
        let norm = try #require(encoder.first { $0.output == ["encoder/norm_output"] })
        #expect(norm.input == ["encoder/layers.1.norm2_output", "encoder.norm.weight", "encoder.norm.bias"])
    }

    @Test func dropoutBecomesIdentityAndTheConvolutionKeepsItsAttributes() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 2, 6, 6]
            layers:
              - {name: conv, type: Conv2d, in_channels: 2, out_channels: 3, kernel_size: [3, 2], stride: 2, padding: 1, bias: false}
              - {type: Dropout, p: 0.3}
              - {type: Softmax, dim: 1}
            """)
        var builder = ONNXLayerBuilder(layer: spec.layers[0], inputs: ["input"], output: "conv")
        try #require(StandardCatalogue.layers.first { $0.typeName == "Conv2d" } as? any ONNXExportableLayer).onnx(&builder)
        #expect(builder.nodes == [ONNXNode(operatorType: "Conv", inputs: ["input", "conv.weight"], outputs: ["conv"], attributes: [
            ("kernel_shape", .integers([3, 2])), ("strides", .integers([2, 2])), ("pads", .integers([1, 1, 1, 1])),
            ("dilations", .integers([1, 1])), ("group", .integer(1)),
        ])])
        var dropout = ONNXLayerBuilder(layer: spec.layers[1], inputs: ["conv"], output: "1")
        try #require(StandardCatalogue.layers.first { $0.typeName == "Dropout" } as? any ONNXExportableLayer).onnx(&dropout)
        #expect(dropout.nodes.map(\.operatorType) == ["Identity"])
    }

    @Test func everyCatalogueLayerHasAnONNXMapping() {
        for layer in StandardCatalogue.layers {
            #expect(layer is any ONNXExportableLayer, "\(layer.typeName)")
        }
    }

    @Test func unevenAdaptivePoolingIsRefusedAtTheLayer() throws {
        let spec = try validatedSpec("""
            nnspec: 1
            input: [N, 1, 7, 7]
            layers:
              - {type: AdaptiveAvgPool2d, output_size: 3}
            """)
        var builder = ONNXLayerBuilder(layer: spec.layers[0], inputs: ["input"], output: "output")
        let definition = try #require(StandardCatalogue.layers.first { $0.typeName == "AdaptiveAvgPool2d" } as? any ONNXExportableLayer)
        #expect(throws: BuildError(mark: SourceMark(line: 4, column: 5), message:
            "layer 0 (AdaptiveAvgPool2d) cannot be exported to ONNX: output_size 3×3 does not divide the input's 7×7, so its windows are uneven")) {
            try definition.onnx(&builder)
        }
    }

    @Test func anExistingFileNNSpecDidNotWriteIsKeptWithoutForce() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-\(UUID().uuidString).onnx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
        let specPath = repositoryRoot.appendingPathComponent("specs/parity/mlp.yaml").path
        let weights = repositoryRoot.appendingPathComponent("specs/parity/mlp-init.safetensors").path
        let spec = try #require(SpecValidator.standard.validate(file: specPath).spec)
        #expect(throws: ExportError(file: path, "the file exists and was not written by nnspec; pass --force to replace it")) {
            try ONNXExport.write(spec, file: specPath, weights: weights, to: path, force: false)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("not a model".utf8))
        try ONNXExport.write(spec, file: specPath, weights: weights, to: path, force: true)
        try ONNXExport.write(spec, file: specPath, weights: weights, to: path, force: false)
        #expect(try Onnx_ModelProto(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path))).graph.node.map(\.opType) == ["Gemm", "Relu", "Gemm", "Relu", "Gemm"])
    }
}
