import NNTensor

/// A module that draws dropout masks from its own generator in training (Dropout; the dropout inside
/// RNN, LSTM, GRU and MultiheadAttention). A checkpoint saves and restores each generator, and a
/// replayed step resets them, so resumed and replayed passes draw the same masks.
public protocol MaskDrawing: Module {
    var generator: RandomGenerator { get set }
}

extension Dropout: MaskDrawing {}
extension RecurrentNetwork: MaskDrawing {}
extension MultiheadAttention: MaskDrawing {}
