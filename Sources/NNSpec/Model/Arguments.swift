import NNData

/// The resolved arguments of one layer, loss, optimizer or scheduler: every declared argument,
/// in declaration order, given or defaulted. After validation no value is `.auto`.
public struct Arguments: Sendable, CustomStringConvertible {
    public private(set) var entries: [(name: String, value: ArgumentValue)]
    /// Where each argument written in the spec stands (its value node); defaults have none.
    var nodes: [String: YAMLNode]

    init(entries: [(name: String, value: ArgumentValue)], nodes: [String: YAMLNode]) {
        self.entries = entries
        self.nodes = nodes
    }

    public subscript(name: String) -> ArgumentValue? {
        entries.first { $0.name == name }?.value
    }

    /// An integer argument.
    public func integer(_ name: String) -> Int? {
        if case .integer(let value) = self[name] { return value }
        return nil
    }

    /// An integer-or-pair argument as (height, width): `5` is (5, 5).
    public func pair(_ name: String) -> (Int, Int)? {
        switch self[name] {
        case .integer(let value): return (value, value)
        case .pair(let first, let second): return (first, second)
        default: return nil
        }
    }

    public func real(_ name: String) -> Double? {
        switch self[name] {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    public func realPair(_ name: String) -> (Double, Double)? {
        if case .realPair(let first, let second) = self[name] { return (first, second) }
        return nil
    }

    public func boolean(_ name: String) -> Bool? {
        if case .boolean(let value) = self[name] { return value }
        return nil
    }

    public func text(_ name: String) -> String? {
        if case .text(let value) = self[name] { return value }
        return nil
    }

    /// A one-or-many integer argument as a list: `5` is [5].
    public func integers(_ name: String) -> [Int]? {
        switch self[name] {
        case .integer(let value): return [value]
        case .integers(let values): return values
        default: return nil
        }
    }

    /// A `column` or `columns` argument: the columns as written, by index or name.
    public func columns(_ name: String) -> [CSVColumn]? {
        if case .columns(let columns) = self[name] { return columns }
        return nil
    }

    public func reals(_ name: String) -> [Double]? {
        if case .reals(let values) = self[name] { return values }
        return nil
    }

    /// The value node the spec wrote for `name`, for pointing diagnostics at it.
    func node(_ name: String) -> YAMLNode? { nodes[name] }

    /// Replaces a value (used to fill in `auto`).
    public mutating func set(_ name: String, _ value: ArgumentValue) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].value = value
        }
    }

    /// `name=value, …` for every argument, in declaration order.
    public var description: String {
        entries.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    }
}
