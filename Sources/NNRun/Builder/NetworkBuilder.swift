import NN
import NNCatalogue
import NNData
import NNSpec
import NNTensor

/// Turns a validated spec into the network PyTorch would build for it.
///
/// A spec whose layers each take the previous one's output becomes a `Sequential`; one with
/// `from:` connections a `Graph`. Either way the children are the layers in spec order, named
/// as the spec names them (`conv1`) or by their index (`3`), so `namedParameters()` gives
/// PyTorch's `named_parameters()` names and shapes, and `description` prints as `print(net)`
/// with the spec's `name` (control characters escaped, `\u{1b}`) as the class name.
public enum NetworkBuilder {
    /// The network of `spec`, its parameters initialised from `generator` layer by layer.
    public static func build(_ spec: ValidatedSpec, generator: inout RandomGenerator) throws(BuildError) -> Module {
        var modules: [Module] = []
        for layer in spec.layers {
            modules.append(try StandardCatalogue.module(for: layer, generator: &generator))
        }
        do {
            if isSequential(spec.layers) {
                return try Sequential(name: VisibleText.escaped(spec.name), zip(spec.layers, modules).map { ($0.name, $1) })
            }
            return try Graph(name: VisibleText.escaped(spec.name), zip(spec.layers, modules).map { Graph.Node($0.name, $1, from: $0.inputs) })
        } catch {
            throw BuildError(mark: spec.layers.first?.mark, message: "\(spec.name): \(error.description)")
        }
    }

    /// True when every layer reads exactly the previous layer's output (the first: the input).
    static func isSequential(_ layers: [ResolvedLayer]) -> Bool {
        layers.indices.allSatisfy { index in
            layers[index].inputs == [index == 0 ? Graph.inputName : layers[index - 1].name]
        }
    }
}
