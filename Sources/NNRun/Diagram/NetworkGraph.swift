import NNSpec

/// A validated spec's network as its diagrams draw it (`nnspec graph`, the report): the boxes in
/// forward order (the input first), the edges into each, and the containers and block instances
/// that group them. Both the SVG (`NetworkDiagram`) and the DOT text (`NetworkDOT`) are drawn from it.
struct NetworkGraph: Sendable {
    /// What a box stands for; the raw value is its class in the SVG.
    enum Kind: String, Sendable, Equatable {
        /// The network's input.
        case input
        /// A registered module or a module applied again (`use:`).
        case module
        /// A functional step (`call:`), drawn lighter.
        case functional
        /// A container below the depth limit, drawn as one box with its totals.
        case collapsed
    }

    /// One box: `title` is "name (type)", `detail` the output shape and parameter count.
    struct Node: Sendable {
        var title: String
        var detail: String
        var kind: Kind
        /// The boxes whose outputs it reads (indices into `nodes`, each once, in spec order).
        var inputs: [Int]
        /// The innermost group holding it (an index into `groups`), nil at the network's level.
        var group: Int?
    }

    /// A nested container or block instance shown with its contents: "layer1.0 (BasicBlock)".
    struct Group: Sendable {
        var title: String
        /// The output shape and the parameters of everything inside.
        var detail: String
        /// The group holding this one, nil at the network's level.
        var parent: Int?
    }

    var name: String
    var nodes: [Node]
    var groups: [Group]

    /// The graph of `spec`; with `depth`, containers at that level or deeper are one box each (as
    /// `summary --depth`: 1 shows the network's own steps).
    init(_ spec: ValidatedSpec, depth: Int? = nil) {
        name = spec.name
        nodes = [Node(title: "input", detail: spec.input.description, kind: .input, inputs: [], group: nil)]
        groups = []
        var scope = ["input": 0]
        add(spec.steps, layers: spec.layers, scope: &scope, group: nil, level: 1, depth: depth)
    }

    /// Adds the boxes of `steps`, whose inputs are named in `scope` (local names → box index,
    /// "input" the container's input), at module-tree `level`.
    private mutating func add(_ steps: [NetworkStep], layers: [ResolvedLayer], scope: inout [String: Int], group: Int?,
                              level: Int, depth: Int?) {
        for step in steps {
            switch step {
            case .layer(let index):
                let layer = layers[index]
                let kind: Kind = if case .functional = layer.role { .functional } else { .module }
                scope[layer.localName] = append(Node(
                    title: "\(layer.name) (\(layer.typeLabel))", detail: Self.detail(layer.output, [layer]), kind: kind,
                    inputs: Self.sources(layer.inputs, in: scope), group: group))
            case .container(let container):
                let contents = SummaryTable.layerIndices(container.steps).map { layers[$0] }
                let title = "\(container.path) (\(container.className))", detail = Self.detail(container.output, contents)
                let sources = Self.sources(container.inputs, in: scope)
                if let depth, level >= depth {
                    scope[container.name] = append(Node(title: title, detail: detail, kind: .collapsed, inputs: sources, group: group))
                    continue
                }
                groups.append(Group(title: title, detail: detail, parent: group))
                var inner = scope
                inner["input"] = sources.first
                let first = nodes.count
                add(container.steps, layers: layers, scope: &inner, group: groups.count - 1, level: level + 1, depth: depth)
                // A container's output is its last step's.
                scope[container.name] = nodes.count > first ? nodes.count - 1 : sources.first
            }
        }
    }

    /// `group` and the groups holding it, outermost first (none for nil: the network's level).
    func chain(to group: Int?) -> [Int] {
        guard let group else { return [] }
        return chain(to: groups[group].parent) + [group]
    }

    private mutating func append(_ node: Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    /// The boxes `names` refer to in `scope`, each once.
    private static func sources(_ names: [String], in scope: [String: Int]) -> [Int] {
        var sources: [Int] = []
        for name in names {
            if let source = scope[name], !sources.contains(source) { sources.append(source) }
        }
        return sources
    }

    /// "[N, 64, 56, 56] · 36,864 parameters": the output shape and the parameters of `layers`.
    private static func detail(_ output: TensorShape, _ layers: [ResolvedLayer]) -> String {
        let count = saturatingSum(layers.map(\.parameterCount))
        return "\(output.description) · " + (count == 0 ? "no parameters" : "\(formatCount(count)) parameters")
    }
}
