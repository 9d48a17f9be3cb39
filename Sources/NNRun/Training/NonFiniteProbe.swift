import NN
import NNSpec
import NNTensor

/// A layer whose output held NaN or infinite values.
public struct NonFiniteLayer: Equatable, Sendable, CustomStringConvertible {
    /// The layer's name (`fc1`, `3`), or `input` when the batch itself was not finite.
    public var name: String
    public var typeName: String
    public var nanCount: Int
    public var infinityCount: Int
    public var elementCount: Int

    /// True when the batch itself, before any layer, was not finite.
    public var isInput: Bool { name == Graph.inputName }

    /// `fc1 (Linear): 12 NaN and 3 infinite values among 1,200`.
    public var description: String {
        let counts = [nanCount > 0 ? "\(formatCount(nanCount)) NaN" : nil,
                      infinityCount > 0 ? "\(formatCount(infinityCount)) infinite" : nil].compactMap { $0 }
        return "\(name) (\(typeName)): \(counts.joined(separator: " and ")) values among \(formatCount(elementCount))"
    }
}

/// Finds where a forward pass first produced NaN or infinite values, by running the batch again
/// layer by layer (only after the loss went non-finite, so normal steps pay nothing) with the
/// randomness of the failing pass, so the replay computes what the failing step computed.
enum NonFiniteProbe {
    /// The first of `layers` (the network's children, in order, reading the outputs their `inputs`
    /// name) whose output on `input` is not finite; the input itself counts as layer `input`.
    /// `randomness`, taken before the failing pass, is restored first so dropout draws the same masks.
    /// Nil when every output is finite or the forward pass fails, and for a nested network (whose
    /// children are not its layers).
    static func firstNonFiniteLayer(of network: Module, layers: [ResolvedLayer], input: Tensor,
                                    replaying randomness: RandomnessSnapshot? = nil) -> NonFiniteLayer? {
        if let found = nonFinite(input, name: Graph.inputName, typeName: "data") { return found }
        let children = network.children
        guard children.count == layers.count, layers.allSatisfy({ $0.role == .module && $0.name == $0.localName }) else { return nil }
        randomness?.restore()
        return noGrad {
            var outputs: [String: Variable] = [Graph.inputName: Variable(input)]
            for (layer, child) in zip(layers, children) {
                let inputs = layer.inputs.compactMap { outputs[$0] }
                guard inputs.count == layer.inputs.count, let output = try? child.module(inputs) else { return nil }
                if let found = nonFinite(output.value, name: layer.name, typeName: layer.typeName) { return found }
                outputs[layer.name] = output
            }
            return nil
        }
    }

    /// The first of `network`'s parameters and buffers, in `state_dict()` order, that holds NaN or
    /// infinite values (weights given with `--init`, before any step), as `fc1.weight (weights): 3 NaN values among 1,200`.
    static func firstNonFiniteState(of network: Module) -> NonFiniteLayer? {
        network.stateDictionary().lazy.compactMap { nonFinite($0.variable.value, name: $0.name, typeName: "weights") }.first
    }

    /// A report on `tensor` when it holds NaN or infinite values.
    private static func nonFinite(_ tensor: Tensor, name: String, typeName: String) -> NonFiniteLayer? {
        var nanCount = 0, infinityCount = 0
        tensor.scalars.withUnsafeBufferPointer { values in
            for value in values where !value.isFinite {
                if value.isNaN { nanCount += 1 } else { infinityCount += 1 }
            }
        }
        guard nanCount + infinityCount > 0 else { return nil }
        return NonFiniteLayer(name: name, typeName: typeName, nanCount: nanCount, infinityCount: infinityCount,
                              elementCount: tensor.count)
    }
}
