/// A constructor argument whose value is a module, written as a layer mapping with `type:`
/// (TransformerEncoder's `encoder_layer: {type: TransformerEncoderLayer, d_model: 32, nhead: 4}`).
/// The validator reads it against its type's definition, runs its shape rule on the owner's input
/// (it must keep that shape), and adds its parameters under each name the owner gives its copies.
public struct NestedLayerKey: Sendable {
    /// The key, as PyTorch's constructor argument names it.
    public var name: String
    /// The layer types it may be.
    public var types: [String]
    /// False: the key may be left out (PyTorch's `None`).
    public var isRequired: Bool
    /// One line for the catalogue.
    public var summary: String
    /// The module names of its copies in the owner, given the owner's arguments (`layers.0`, `layers.1`; `norm`).
    public var copies: @Sendable (Arguments) -> [String]
    /// Why the nested layer's arguments cannot stand here, or nil.
    public var refusal: @Sendable (Arguments) -> String?

    public init(
        _ name: String, types: [String], isRequired: Bool, _ summary: String, copies: @escaping @Sendable (Arguments) -> [String],
        refusal: @escaping @Sendable (Arguments) -> String? = { _ in nil }
    ) {
        (self.name, self.types, self.isRequired, self.summary) = (name, types, isRequired, summary)
        (self.copies, self.refusal) = (copies, refusal)
    }

    /// The value's type in words, for the catalogue.
    public var typeDescription: String { "layer mapping: " + types.joined(separator: " | ") }
}

/// A nested layer as the validator resolved it: its type, every argument (defaults filled in,
/// `auto` inferred) and the names of its copies in the owner.
public struct NestedLayer: Sendable {
    public var key: String
    public var typeName: String
    public var arguments: Arguments
    public var copies: [String]
    /// Where the spec writes its `type:`.
    public var mark: SourceMark?
}
