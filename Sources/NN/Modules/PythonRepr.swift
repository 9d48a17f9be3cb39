/// Python's repr of the values PyTorch's `extra_repr` strings contain.
enum PythonRepr {
    static func bool(_ value: Bool) -> String { value ? "True" : "False" }

    /// A Python float's repr (`1e-05`, `0.1`, `1.0`): Swift's shortest round-trip Double text
    /// matches it.
    static func float(_ value: Double) -> String { "\(value)" }

    /// `, inplace=True` when set, else nothing: how LeakyReLU and ELU end their `extra_repr`.
    static func inplaceSuffix(_ inplace: Bool) -> String { inplace ? ", inplace=True" : "" }

    /// A tuple: `(10,)` for one element, `(4, 5)` for more.
    static func tuple(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }
}
