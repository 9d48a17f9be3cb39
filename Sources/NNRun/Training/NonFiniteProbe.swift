import NN
import NNCatalogue
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
    /// The first of `layers` whose output on `input` is not finite, replaying `steps` (the network's
    /// module tree, `ValidatedSpec.steps`; nil: every layer is a child of the network, in order) with
    /// the network's modules, each reading the outputs its `inputs` name in its container; the input
    /// itself counts as layer `input`. `randomness`, taken before the failing pass, is restored first
    /// so dropout draws the same masks. Nil when every output is finite or the forward pass fails.
    static func firstNonFiniteLayer(of network: Module, layers: [ResolvedLayer], steps: [NetworkStep]? = nil, input: Tensor,
                                    replaying randomness: RandomnessSnapshot? = nil) -> NonFiniteLayer? {
        if let found = nonFinite(input, name: Graph.inputName, typeName: "data") { return found }
        randomness?.restore()
        return noGrad {
            var found: NonFiniteLayer?
            _ = replay(steps ?? layers.indices.map(NetworkStep.layer), in: network, layers: layers, input: Variable(input), found: &found)
            return found
        }
    }

    /// Runs `steps` with `container`'s children on `input` and returns the last output; nil when a
    /// step fails or its output is not finite (then reported in `found`).
    private static func replay(_ steps: [NetworkStep], in container: Module, layers: [ResolvedLayer], input: Variable,
                               found: inout NonFiniteLayer?) -> Variable? {
        let children = Dictionary(container.children.map { ($0.name, $0.module) }, uniquingKeysWith: { first, _ in first })
        var outputs: [String: Variable] = [Graph.inputName: input]
        var last = input
        for step in steps {
            switch step {
            case .layer(let index):
                let layer = layers[index]
                let inputs = layer.inputs.compactMap { outputs[$0] }
                guard inputs.count == layer.inputs.count, let module = module(of: layer, children: children),
                      let output = try? module(inputs) else { return nil }
                if let report = nonFinite(output.value, name: layer.name, typeName: layer.typeLabel) {
                    found = report
                    return nil
                }
                outputs[layer.localName] = output
                last = output
            case .container(let nested):
                guard let module = children[nested.name], let source = outputs[nested.inputs[0]],
                      let output = replay(nested.steps, in: module, layers: layers, input: source, found: &found) else { return nil }
                outputs[nested.name] = output
                last = output
            }
        }
        return last
    }

    /// The module computing `layer`: its container's child, the child it applies again, or (a
    /// functional step, which holds no state) one built for it.
    private static func module(of layer: ResolvedLayer, children: [String: Module]) -> Module? {
        switch layer.role {
        case .module: return children[layer.localName]
        case .reuse(let name): return children[name]
        case .functional:
            var generator = RandomGenerator(seed: 0)
            return try? StandardCatalogue.module(for: layer, generator: &generator)
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
