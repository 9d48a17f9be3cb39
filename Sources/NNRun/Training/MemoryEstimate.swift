import Foundation
import NNSpec

/// The memory one training step of a spec needs, from the validator's static shapes alone (nothing
/// is allocated): float32 parameters, their gradients and the optimizer's per-parameter buffers,
/// every layer's output and its gradient for one batch (and what a layer keeps for its backward pass:
/// attention weights, recurrent gates), and the data sets as loaded (random data, and
/// IDX and CSV files sized from their headers).
public struct MemoryEstimate: Sendable {
    /// One contribution: a layer (its weights, gradients, optimizer state and activations) or the data.
    public struct Part: Sendable {
        public var name: String
        public var bytes: Double
        /// What the bytes are, for the message: `weight [120, 400], activations [64, 120]`.
        public var detail: String
    }

    public var parameterBytes: Double
    public var gradientBytes: Double
    public var optimizerBytes: Double
    public var activationBytes: Double
    public var dataBytes: Double
    public var parts: [Part]
    public var batchSize: Int

    public var totalBytes: Double { parameterBytes + gradientBytes + optimizerBytes + activationBytes + dataBytes }

    /// The part that needs the most.
    public var dominant: Part? { parts.max { $0.bytes < $1.bytes } }

    /// The estimate for `spec` at its data's batch size.
    public init(spec: ValidatedSpec) {
        let batchSize = spec.data?.batchSize ?? 1
        let optimizerBuffers = Double(Self.buffersPerParameter(spec.optimizer))
        self.batchSize = batchSize
        var parts: [Part] = []
        var parameters = 0.0, activations = 0.0
        for layer in spec.layers {
            let parameterCount = Double(layer.parameterCount)
            // The output and, in backward, its gradient; what the layer keeps for its backward pass.
            let outputBytes = (Double(layer.output.sampleElementCount ?? Int.max) * 2 + Double(layer.savedElements)) * Double(batchSize) * 4
            parameters += parameterCount * 4
            activations += outputBytes
            let layerParameterBytes = parameterCount * 4 * (2 + optimizerBuffers)
            let weights = layer.parameters.map { "\($0.name) \($0.shape)" }
            parts.append(Part(name: "\(layer.name) (\(layer.typeName))", bytes: layerParameterBytes + outputBytes,
                              detail: (weights + ["output \(layer.output.withBatch(batchSize))"]).joined(separator: ", ")))
        }
        var data = 0.0
        for (split, source) in [("train", spec.data?.train), ("test", spec.data?.test)] {
            guard let source, let size = DataSetMemory(source, spec: spec) else { continue }
            data += size.bytes
            parts.append(Part(name: "the \(split) data", bytes: size.bytes, detail: size.detail))
        }
        self.parts = parts
        parameterBytes = parameters
        gradientBytes = parameters
        optimizerBytes = parameters * optimizerBuffers
        activationBytes = activations
        dataBytes = data
    }

    /// The machine's physical memory in bytes.
    public static var physicalMemory: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// The refusal when `totalBytes` exceeds `available` bytes.
    public func refusal(available: Int) -> String {
        var message = "training this model needs an estimated \(formatBytes(totalBytes)) for one step of batch size \(batchSize)"
            + " (parameters \(formatBytes(parameterBytes)), gradients \(formatBytes(gradientBytes)),"
            + " optimizer state \(formatBytes(optimizerBytes)), activations \(formatBytes(activationBytes))"
            + (dataBytes > 0 ? ", data \(formatBytes(dataBytes))" : "") + ")"
            + ", more than the \(formatBytes(available)) of memory this machine has"
        if let dominant {
            message += "; \(dominant.name) needs the most, \(formatBytes(dominant.bytes)): \(dominant.detail)"
        }
        return message
    }

    /// Float32 buffers the optimizer keeps per parameter element (SGD momentum: 1; Adam: 2, with
    /// AMSGrad's maximum 3; RMSprop: 1, plus momentum and the centred gradient average).
    static func buffersPerParameter(_ optimizer: ResolvedComponent?) -> Int {
        guard let optimizer else { return 0 }
        let arguments = optimizer.arguments
        switch optimizer.typeName {
        case "SGD": return (arguments.real("momentum") ?? 0) > 0 ? 1 : 0
        case "Adam", "AdamW": return (arguments.boolean("amsgrad") ?? false) ? 3 : 2
        case "RMSprop":
            return 1 + ((arguments.real("momentum") ?? 0) > 0 ? 1 : 0) + ((arguments.boolean("centered") ?? false) ? 1 : 0)
        default: return 2
        }
    }
}

extension TensorShape {
    /// The shape with its batch dimension set to `size`: [N, 10] → [64, 10].
    func withBatch(_ size: Int) -> TensorShape {
        TensorShape(batch: .size(size), sample: sampleSizes)
    }
}
