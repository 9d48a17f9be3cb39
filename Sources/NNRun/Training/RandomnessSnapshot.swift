import NN
import NNTensor

/// The state of everything random in a network's forward pass — its dropout layers' mask
/// generators — taken at one moment, so a forward pass can be replayed with the same masks.
struct RandomnessSnapshot {
    private let generators: [(dropout: any MaskDrawing, state: (UInt64, UInt64, UInt64, UInt64))]

    /// The current state of `network`'s dropout generators.
    init(of network: Module) {
        generators = dropoutModules(of: network).map { ($0.module, $0.module.generator.state) }
    }

    /// Puts every generator back into its state at the snapshot.
    func restore() {
        for (dropout, state) in generators { dropout.generator.state = state }
    }
}
